// What the platform modules' files (10-*.js) share: argument checks with Kiln's 7024 error, promises
// settled by a worker's result, and values handed over without JSON (bytes, large texts).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function argumentError(message) {
  return kilnError(@E_INVALID_ARGUMENT@, "[@E_INVALID_ARGUMENT@] " + message);
}

function typeName(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value === "string" ? "string " + JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value)
    : typeof value === "object" ? "an object" : typeof value + " " + String(value);
}

/** `value` if it is a non-empty string, else a 7024 error naming the function and the argument. */
function needString(fn, name, value) {
  if (typeof value !== "string" || value === "") {
    throw argumentError(fn + "(): " + name + " must be a non-empty string, got " + typeName(value));
  }
  return value;
}

/** `value` if it is a string (empty allowed). */
function needText(fn, name, value) {
  if (typeof value !== "string") throw argumentError(fn + "(): " + name + " must be a string, got " + typeName(value));
  return value;
}

/** A Uint8Array over the bytes of any ArrayBuffer view (DataView, other typed arrays) or ArrayBuffer, for Java to copy. */
function needBytes(fn, name, value) {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw argumentError(fn + "(): " + name + " must be a Uint8Array, got " + typeName(value));
}

/** An options object, or {} for undefined. */
function needOptions(fn, value) {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object") throw argumentError(fn + "(): options must be an object, got " + typeName(value));
  return value;
}

/** A promise settled by a platform op; `map` turns the JSON result into what the caller gets. */
function platformCall(start, map) {
  return javaPromise(start, map);
}

/** The value a worker parked (see BytesOps.java): bytes as a Uint8Array, text as a string. */
function takeParked(ticket) {
  return ops.@OP_TAKE@(ticket);
}
