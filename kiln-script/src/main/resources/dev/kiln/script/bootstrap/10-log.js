// runtime:log: leveled logging to stderr and the app's rotating log file (see LogOps.java).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const LOG_LEVELS = { trace: 0, debug: 1, info: 2, warn: 3, warning: 3, error: 4 };

function logLevel(fn, level) {
  const n = LOG_LEVELS[level];
  if (typeof level !== "string" || n === undefined) {
    throw argumentError(fn + "(): the level must be one of trace, debug, info, warn, error, got " + typeName(level));
  }
  return n;
}

function logFields(fields) {
  if (fields === undefined || fields === null) return "{}";
  if (typeof fields !== "object") throw argumentError("the log fields must be an object, got " + typeName(fields));
  try {
    return JSON.stringify(fields, (k, v) => (typeof v === "bigint" ? String(v) : v));
  } catch (e) {
    return JSON.stringify({ fields: inspect(fields) }); // cycles and the like: still logged, as text
  }
}

function emit(level, message, fields) {
  ops.@OP_LOG_EMIT@(logLevel("emit", level), typeof message === "string" ? message : inspect(message), logFields(fields));
}

let defaultLogWindow = null;

async function sendLogToWindow(windowId, level, message, fields) {
  const target = windowId ?? defaultLogWindow;
  if (!target) {
    emit(level, "[no window] " + message, fields);
    return;
  }
  await sendToWindow(target, "__console__", { level, message, fields: fields ?? {} });
}

function logTo(send) {
  return {
    trace: (message, fields, windowId) => send(windowId, "trace", message, fields),
    debug: (message, fields, windowId) => send(windowId, "debug", message, fields),
    log: (message, fields, windowId) => send(windowId, "info", message, fields),
    info: (message, fields, windowId) => send(windowId, "info", message, fields),
    warn: (message, fields, windowId) => send(windowId, "warn", message, fields),
    error: (message, fields, windowId) => send(windowId, "error", message, fields),
  };
}

runtimeModules.log = Object.freeze({
  info: () => ({ name: "runtime:log", version: "1.0.0", status: "ready" }),
  emit,
  trace: (message, fields) => emit("trace", message, fields),
  debug: (message, fields) => emit("debug", message, fields),
  infoLog: (message, fields) => emit("info", message, fields),
  warn: (message, fields) => emit("warn", message, fields),
  error: (message, fields) => emit("error", message, fields),
  setDefaultWindow(windowId) {
    defaultLogWindow = windowId == null ? null : needString("setDefaultWindow", "windowId", windowId);
  },
  browserConsole: Object.freeze(logTo(sendLogToWindow)),
  dualLog: Object.freeze(logTo(async (windowId, level, message, fields) => {
    emit(level, message, fields);
    await sendLogToWindow(windowId, level, message, fields);
  })),
  /** Kiln addition: records below this level are dropped (default "info"). */
  setLevel(level) {
    ops.@OP_LOG_LEVEL@(logLevel("setLevel", level));
  },
  /** Kiln addition: the path of the current log file. */
  logFile: () => ops.@OP_LOG_FILE@(),
});
