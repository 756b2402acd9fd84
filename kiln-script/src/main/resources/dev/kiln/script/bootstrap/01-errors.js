// Kiln errors (Error objects with a numeric code) and stack traces mapped back to the TypeScript lines.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const INTERNAL = Symbol.for("kiln.internal");

/**
 * The error a call's handler throws to reject its caller with a code and data, and the class of every
 * error runtime:ipc gives (runtime:ipc exports it).
 */
class IpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

/** An Error carrying its Kiln code, as thrown by every runtime: API. */
function kilnError(code, message, extra) {
  const error = new IpcError(code, message);
  if (extra) Object.assign(error, extra);
  return error;
}

/**
 * Java exceptions arrive as Errors whose message starts with "[70xx]", and the payload check throws
 * Errors with a code: make both IpcErrors with that code, as every runtime: error is.
 */
function withCode(error) {
  if (!(error instanceof Error) || error instanceof IpcError) return error;
  let code = error.code;
  if (code === undefined) {
    const m = /^\[(70\d\d)\] /.exec(error.message);
    if (!m) return error;
    code = Number(m[1]);
  }
  const coded = new IpcError(code, error.message);
  coded.stack = error.stack;
  return coded;
}

function op(fn) {
  return function () {
    try {
      return fn.apply(ops, arguments);
    } catch (e) {
      throw withCode(e);
    }
  };
}

function describe(value) {
  if (value instanceof Error) {
    const stack = value.stack;
    return typeof stack === "string" && stack.length > 0 ? stack : String(value);
  }
  try {
    return "Uncaught " + inspect(value);
  } catch (e) {
    return "Uncaught " + String(value);
  }
}

// Stack traces point at the .ts lines: V8 ignores source maps, so each frame is mapped by Java.
Error.stackTraceLimit = 20;
Error.prepareStackTrace = function (error, frames) {
  if (error instanceof CallSite) return appFrame(frames);
  let header;
  try {
    header = Error.prototype.toString.call(error);
  } catch (e) {
    header = "Error";
  }
  const lines = [];
  for (const frame of frames) {
    const file = frame.getFileName();
    if (typeof file === "string" && file.startsWith("kiln:")) continue;
    lines.push("\n    at " + formatFrame(frame));
  }
  return header + lines.join("");
};

/**
 * Where the app made an operation (--trace-sends): the stack is captured now, but formatted, and its
 * frame source-mapped, only when read, that is when the operation fails (see traced in 05-promises.js).
 * `verb` says what the app did there: "sent", "called" or "read".
 */
class CallSite {
  constructor(verb) {
    this.verb = verb;
    Error.captureStackTrace(this);
  }
}

/** The first frame outside Kiln's bootstrap (and V8's builtins), mapped to its source: "src/main.ts:12:7", or "". */
function appFrame(frames) {
  for (const frame of frames) {
    const file = frame.getFileName();
    if (typeof file === "string" && !file.startsWith("kiln:")) {
      return ops.@OP_MAP_FRAME@(file, frame.getLineNumber() || 0, frame.getColumnNumber() || 0);
    }
  }
  return "";
}

function formatFrame(frame) {
  const file = frame.getFileName();
  let location;
  if (file == null) {
    location = frame.isEval() ? "<eval>" : "<anonymous>";
  } else {
    location = ops.@OP_MAP_FRAME@(file, frame.getLineNumber() || 0, frame.getColumnNumber() || 0);
  }
  const async = frame.isAsync() ? "async " : "";
  const fn = frame.getFunctionName();
  let name;
  if (frame.isConstructor()) {
    name = "new " + (fn || "<anonymous>");
  } else if (frame.isToplevel() || frame.getTypeName() == null) {
    name = fn;
  } else {
    const type = frame.getTypeName();
    const method = frame.getMethodName();
    name = fn ? (type && !fn.startsWith(type) ? type + "." + fn : fn) : type + "." + (method || "<anonymous>");
  }
  return async + (name ? name + " (" + location + ")" : location);
}
