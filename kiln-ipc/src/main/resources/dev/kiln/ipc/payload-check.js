// Kiln's payload rules (docs/payloads.md), the one JavaScript source of them: the page bridge
// (bridge.js, through BridgeProtocol) and the script host (bootstrap/06-ipc.js, through ScriptProtocol)
// both include this expression (PayloadCheckScript fills in its tokens), so the
// two sides refuse the same values with the same 7003 messages.
//
// Its value is { json, parse, typed }. json(payload) is the payload's JSON text, or undefined when there is
// none (no payload, or a toJSON() at the top that returns undefined). A payload is what
// JSON.stringify makes of it (toJSON honoured, an undefined property left out, undefined in an array
// null), except that binary data (ArrayBuffer, every typed array, DataView) crosses as itself, and
// what JSON would silently drop or corrupt is refused with a coded Error naming where it sits:
// functions, symbols, BigInts, Map, Set, WeakMap, WeakSet, Promise, NaN and Infinity, cycles, nesting
// deeper than MAX_DEPTH, an object with Kiln's binary marker key, an error thrown while reading it (a
// getter, a toJSON), and JSON text longer than MAX_BYTES in UTF-8.
//
// Binary data is written as an object {"\u0000kiln": "<type>", "b": "<base64 of its bytes>"} (the
// host's PayloadCodec writes and reads the same); parse(text) is JSON.parse that turns those objects
// back into the same type with the same bytes. Only text that contains the marker pays for that.
//
// Large binaries do not go into the text (docs/payloads.md). json(payload, upload) calls upload(bytes)
// for each binary of UPLOAD_FROM bytes or more, with a view of its bytes (upload copies them if it
// keeps them); upload returns the token under which the bytes will reach the host, and the binary is
// written {"\u0000kiln": type, "u": token, "n": size}; or undefined, and it goes as base64. parse(text, take) turns such a marker back with take(token), an ArrayBuffer. Host to
// page, a binary is written {"\u0000kiln": type, "a": index, "n": size} instead, which parse leaves
// as it is: the page bridge fetches attachment index and puts typed(type, buffer) in its place. The
// binaries of one payload may have MAX_BINARY_BYTES at most (7010).
(function () {
  "use strict";
  const MAX_DEPTH = @MAX_PAYLOAD_DEPTH@;
  const MAX_BYTES = @MAX_PAYLOAD_BYTES@;
  const CODE = @E_SERIALIZATION@;
  const MAX_BINARY_BYTES = @MAX_BINARY_BYTES@;
  const UPLOAD_FROM = @UPLOAD_FROM_BYTES@;
  const BINARY_CODE = @E_BINARY_TOO_LARGE@;
  const REFUSED_OBJECTS = {
    "[object Map]": "a Map", "[object Set]": "a Set", "[object WeakMap]": "a WeakMap",
    "[object WeakSet]": "a WeakSet", "[object Promise]": "a Promise"
  };
  const objectTag = Object.prototype.toString;
  const BINARY_KEY = "\u0000kiln";
  const BINARY_MARK = JSON.stringify(BINARY_KEY); // how the key looks in JSON text: "\u0000kiln"
  const BINARY_TYPES = ["ArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array",
    "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
    "Float16Array"];
  const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const BASE64_VALUE = new Uint8Array(128);
  const BASE64_CODE = new Uint8Array(64);
  for (let i = 0; i < BASE64.length; i++) {
    BASE64_VALUE[BASE64.charCodeAt(i)] = i;
    BASE64_CODE[i] = BASE64.charCodeAt(i);
  }
  const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  /** What checked() found that JSON cannot carry; where it sits is in pathKeys. */
  class Refusal {
    constructor(what, toJsonError) {
      this.what = what;
      this.toJsonError = toJsonError;
    }
  }

  // The first walk only checks, so that plain data costs little. Once it fails, a second walk with
  // `tracking` on finds the same value again and names its path (pathKeys); it also minds cycles
  // (onPath), which the first walk meets as nesting too deep.
  let tracking = false;
  const pathKeys = [];
  let onPath = null;
  // During one json() call: the upload function given to it, and the binary bytes seen so far.
  let upload = null;
  let binaryBytes = 0;
  let uploadFailure = null; // what upload() threw: the caller gets it as it is, with its own code

  function payloadError(message) {
    const e = new Error("[" + CODE + "] " + message);
    e.code = CODE;
    return e;
  }

  function payloadJson(payload, uploadBytes) {
    if (payload === undefined) return undefined;
    let json;
    upload = typeof uploadBytes === "function" ? uploadBytes : null;
    binaryBytes = 0;
    uploadFailure = null;
    try {
      json = JSON.stringify(checked(payload, 1, true, ""));
    } catch (first) {
      if (uploadFailure !== null || (first instanceof Error && first.code === BINARY_CODE)) {
        uploadFailure = null;
        throw first; // the binary limit, or the host refused the upload (no memory, say): its own code
      }
      upload = null; // the second walk only explains
      throw payloadError("Payload cannot be serialized to JSON: " + explain(payload, first));
    } finally {
      upload = null;
    }
    if (json !== undefined && json.length * 3 > MAX_BYTES) { // else it cannot exceed the limit
      const bytes = utf8Length(json);
      if (bytes > MAX_BYTES) {
        throw payloadError("Payload is " + bytes + " bytes; the limit is " + MAX_BYTES + " bytes");
      }
    }
    return json;
  }

  /** Why the payload was refused, with the path: walks it again, tracking. */
  function explain(payload, first) {
    pathKeys.length = 0;
    onPath = new Set();
    tracking = true;
    try {
      checked(payload, 1, true, "");
    } catch (e) {
      return refusalText(e);
    } finally {
      tracking = false;
      onPath = null;
    }
    pathKeys.length = 0; // the payload changed between the walks (a getter): say what the first found
    return refusalText(first);
  }

  function refusalText(e) {
    if (!(e instanceof Refusal)) return pathText(true) + " threw " + errorText(e); // a getter, a Proxy
    if (e.toJsonError !== undefined) return pathText(false) + ".toJSON() threw " + e.toJsonError;
    return pathText(true) + " is " + e.what;
  }

  function errorText(e) {
    try {
      return e instanceof Error ? Error.prototype.toString.call(e) : String(e);
    } catch (ignored) {
      return "a value that cannot be shown";
    }
  }

  /** The path of the value the tracking walk stopped at, as JavaScript would write it. */
  function pathText(theValueItself) {
    if (pathKeys.length === 0 && theValueItself) return "the payload";
    let text = "payload";
    for (let i = 0; i < pathKeys.length; i++) {
      const k = pathKeys[i];
      text += typeof k === "number" ? "[" + k + "]" : IDENTIFIER.test(k) ? "." + k : "[" + JSON.stringify(k) + "]";
    }
    return text;
  }

  /** Whether JSON carries v as it is and it holds nothing to look into. */
  function isPlainLeaf(v) {
    switch (typeof v) {
      case "string":
      case "boolean":
      case "undefined":
        return true;
      case "number":
        return v - v === 0; // finite
      case "object":
        return v === null;
    }
    return false;
  }

  /**
   * The value JSON.stringify should see for v: v itself when nothing in it has a toJSON, else a copy
   * with the toJSON results in place (so JSON.stringify calls nothing of the app's). Throws a Refusal
   * for what JSON would corrupt. Recursion is bounded by MAX_DEPTH.
   */
  function checked(v, depth, callToJSON, key) {
    switch (typeof v) {
      case "string":
      case "boolean":
      case "undefined":
        return v;
      case "number":
        if (v - v === 0) return v;
        throw new Refusal(String(v) + ", which JSON cannot represent");
      case "function":
      case "symbol":
      case "bigint":
        throw new Refusal("a " + typeof v);
    }
    if (v === null) return v;
    if (callToJSON && typeof v.toJSON === "function") {
      let replaced;
      try {
        replaced = v.toJSON(key);
      } catch (e) {
        throw new Refusal(null, errorText(e));
      }
      return checked(replaced, depth, false, key);
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
      const tag = objectTag.call(v);
      if (REFUSED_OBJECTS[tag] !== undefined) throw new Refusal(REFUSED_OBJECTS[tag] + ", which JSON would write as {}");
      if (ArrayBuffer.isView(v) || tag === "[object ArrayBuffer]") {
        // it crosses as an object: it counts as one level, as the host reads it
        if (depth > MAX_DEPTH) throw new Refusal("nested deeper than " + MAX_DEPTH + " levels");
        return binary(v, tag.slice(8, -1));
      }
      if (tag === "[object SharedArrayBuffer]") throw new Refusal("a SharedArrayBuffer; send a copy in an ArrayBuffer");
      if (tag === "[object Number]") return checked(Number(v), depth, false, key);
      if (tag === "[object String]" || tag === "[object Boolean]") return v;
    }
    if (depth > MAX_DEPTH) throw new Refusal("nested deeper than " + MAX_DEPTH + " levels");
    if (tracking) {
      if (onPath.has(v)) throw new Refusal("a cycle: it contains itself");
      onPath.add(v);
    }
    let copy = null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (tracking) pathKeys.push(i);
        const item = v[i];
        const c = !tracking && isPlainLeaf(item) ? item : checked(item, depth + 1, true, String(i));
        if (tracking) pathKeys.pop();
        if (copy === null && c !== item) copy = v.slice(0, i);
        if (copy !== null) copy.push(c);
      }
    } else {
      if (Object.prototype.hasOwnProperty.call(v, BINARY_KEY)) throw new Refusal("an object with Kiln's binary marker key");
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (tracking) pathKeys.push(k);
        const item = v[k];
        const c = !tracking && isPlainLeaf(item) ? item : checked(item, depth + 1, true, k);
        if (tracking) pathKeys.pop();
        if (copy === null && c !== item) {
          copy = Object.create(null); // a "__proto__" key stays a key
          for (let j = 0; j < i; j++) copy[keys[j]] = v[keys[j]];
        }
        if (copy !== null) copy[k] = c;
      }
    }
    if (tracking) onPath.delete(v);
    return copy === null ? v : copy;
  }

  /** The marker object that carries a binary value's bytes. */
  function binary(v, type) {
    const bytes = type === "ArrayBuffer" ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const out = {};
    out[BINARY_KEY] = BINARY_TYPES.indexOf(type) >= 0 ? type : "Uint8Array";
    if (!tracking) {
      binaryBytes += bytes.length;
      if (binaryBytes > MAX_BINARY_BYTES) {
        const e = new Error("[" + BINARY_CODE + "] The payload's binary values have " + binaryBytes
          + " bytes or more; the limit is " + MAX_BINARY_BYTES + " bytes");
        e.code = BINARY_CODE;
        throw e;
      }
    }
    let token;
    try {
      token = upload !== null && bytes.length >= UPLOAD_FROM ? upload(bytes) : undefined;
    } catch (e) {
      uploadFailure = e;
      throw e;
    }
    if (token !== undefined) {
      out.u = token;
      out.n = bytes.length;
      return out;
    }
    out.b = toBase64(bytes);
    return out;
  }

  // Base64 into a byte buffer of character codes, made a string 8 KiB at a time: building the text by
  // concatenation is ten times slower in V8.
  function toBase64(bytes) {
    const n = bytes.length;
    const whole = n - n % 3;
    const out = new Uint8Array(Math.ceil(n / 3) * 4);
    let j = 0;
    for (let i = 0; i < whole; i += 3) {
      const x = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out[j++] = BASE64_CODE[x >> 18];
      out[j++] = BASE64_CODE[(x >> 12) & 63];
      out[j++] = BASE64_CODE[(x >> 6) & 63];
      out[j++] = BASE64_CODE[x & 63];
    }
    if (n % 3 !== 0) {
      const x = (bytes[whole] << 16) | (n % 3 === 2 ? bytes[whole + 1] << 8 : 0);
      out[j++] = BASE64_CODE[x >> 18];
      out[j++] = BASE64_CODE[(x >> 12) & 63];
      out[j++] = n % 3 === 2 ? BASE64_CODE[(x >> 6) & 63] : 61; // "="
      out[j++] = 61;
    }
    const parts = [];
    for (let k = 0; k < out.length; k += 8192) {
      parts.push(String.fromCharCode.apply(null, out.subarray(k, k + 8192)));
    }
    return parts.join("");
  }

  function fromBase64(text) {
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 61) end--; // "="
    const bytes = new Uint8Array(Math.floor(end * 3 / 4));
    let j = 0;
    let i = 0;
    for (; i + 4 <= end; i += 4) {
      const x = (BASE64_VALUE[text.charCodeAt(i)] << 18) | (BASE64_VALUE[text.charCodeAt(i + 1)] << 12)
        | (BASE64_VALUE[text.charCodeAt(i + 2)] << 6) | BASE64_VALUE[text.charCodeAt(i + 3)];
      bytes[j++] = x >> 16;
      bytes[j++] = (x >> 8) & 255;
      bytes[j++] = x & 255;
    }
    if (end - i >= 2) {
      const x = (BASE64_VALUE[text.charCodeAt(i)] << 18) | (BASE64_VALUE[text.charCodeAt(i + 1)] << 12)
        | (end - i === 3 ? BASE64_VALUE[text.charCodeAt(i + 2)] << 6 : 0);
      bytes[j++] = x >> 16;
      if (end - i === 3) bytes[j++] = (x >> 8) & 255;
    }
    return bytes;
  }

  /** A marker object back into its type, with its bytes; an unknown or missing type gives a Uint8Array. */
  function revive(key, value) {
    if (value === null || typeof value !== "object" || typeof value[BINARY_KEY] !== "string") {
      return value;
    }
    if (typeof value.b === "string") return typed(value[BINARY_KEY], fromBase64(value.b).buffer);
    if (typeof value.u === "string" && typeof value.n === "number" && take !== null) {
      return typed(value[BINARY_KEY], take(value.u, value.n));
    }
    return value;
  }

  /** The binary value of that type over the buffer's bytes; a type that does not fit gives a Uint8Array. */
  function typed(type, buffer) {
    const bytes = new Uint8Array(buffer);
    if (type === "ArrayBuffer") return bytes.buffer;
    if (type === "DataView") return new DataView(bytes.buffer);
    const View = BINARY_TYPES.indexOf(type) >= 0 ? globalThis[type] : undefined;
    if (typeof View !== "function" || bytes.length % View.BYTES_PER_ELEMENT !== 0) return bytes;
    return new View(bytes.buffer);
  }

  let take = null; // during one parse(): the function that gives an uploaded binary's bytes

  /** JSON.parse, with binary values back as themselves. */
  function parse(text, takeUploaded) {
    if (text.indexOf(BINARY_MARK) < 0) return JSON.parse(text);
    take = typeof takeUploaded === "function" ? takeUploaded : null;
    try {
      return JSON.parse(text, revive);
    } finally {
      take = null;
    }
  }

  // Counts as the host does (dev.kiln.ipc.PayloadCodec.utf8Length): a lone surrogate as 3 bytes.
  function utf8Length(s) {
    let bytes = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return bytes;
  }

  return { json: payloadJson, parse, typed };
})()
