// runtime:ipc calls: handle() answers the pages' window.runtime.invoke, invokeWindow() calls a page's
// window.runtime.handle. The engine does the rest (ids, deadlines, order, capabilities): CallOps.java.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const callHandlers = new Map(); // channel -> the app's handler
const working = new Map(); // call key -> AbortController of the handler run working on it

function handle(channel, handler) {
  if (typeof channel !== "string") {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] Channel name must be a string, got " + (channel === null ? "null" : typeof channel));
  }
  if (typeof handler !== "function") throw new TypeError("handle() needs a handler function, got " + typeof handler);
  const registration = op(ops.@OP_HANDLE@)(channel);
  callHandlers.set(channel, handler);
  let active = true;
  return function unhandle() {
    if (!active) return;
    active = false;
    callHandlers.delete(channel);
    ops.@OP_UNHANDLE@(registration);
  };
}

/** A page called: runs the channel's handler with the call's context; CallOps waits for answer(). */
function hostCall(key, channel, payloadJson, windowId, deadline) {
  const handler = callHandlers.get(channel);
  if (handler === undefined) { // removed while the call was on its way
    ops.@OP_ANSWER@(key, false, errorPayload(channel,
      kilnError(@E_NO_HANDLER@, "[@E_NO_HANDLER@] No handler for channel '" + channel + "' in the host")));
    return;
  }
  const controller = new AbortController();
  working.set(key, controller);
  const context = { windowId, signal: controller.signal };
  if (deadline > 0) context.deadline = deadline;
  let result;
  try {
    result = handler(payloadJson == null ? undefined : parsePayload(payloadJson), context);
  } catch (e) {
    answerError(key, channel, e);
    return;
  }
  if (result !== null && (typeof result === "object" || typeof result === "function") && typeof result.then === "function") {
    Promise.resolve(result).then((value) => answerValue(key, channel, value), (e) => answerError(key, channel, e));
  } else {
    answerValue(key, channel, result);
  }
}

/** The caller gave up (cancelled, timed out, its page went away): abort the handler's signal. */
function abortCall(key, code, message) {
  const controller = working.get(key);
  if (controller !== undefined) {
    working.delete(key);
    controller.abort(kilnError(code, message));
  }
}

function answerValue(key, channel, value) {
  if (!working.delete(key)) return; // aborted: nobody waits for it
  let json;
  try {
    json = value === undefined ? null : encode(value);
  } catch (e) {
    ops.@OP_ANSWER@(key, false, JSON.stringify({ code: @E_SERIALIZATION@, message: "[@E_SERIALIZATION@] The result of the handler for channel '"
      + channel + "' cannot be sent: " + String(e.message).replace(/^\[\d+\] /, "") }));
    return;
  }
  ops.@OP_ANSWER@(key, true, json === undefined ? null : json);
}

function answerError(key, channel, error) {
  if (!working.delete(key)) return; // aborted: nobody waits for it
  ops.@OP_ANSWER@(key, false, errorPayload(channel, error));
}

/**
 * The wire form {code, message, data} of what a handler or producer threw: its own code and data,
 * or 7009 with its message when it has no code (a bug: its stack goes to the app's stderr).
 */
function errorPayload(channel, error) {
  let wire;
  if (error !== null && typeof error === "object" && (typeof error.code === "string" || typeof error.code === "number")) {
    wire = { code: error.code, message: String(error.message === undefined ? "" : error.message) };
    if (error.data !== undefined) wire.data = error.data;
  } else {
    console.error("The handler for channel '" + channel + "' failed:", error);
    wire = { code: @E_HANDLER_FAILED@, message: "[@E_HANDLER_FAILED@] The handler for channel '" + channel + "' failed: "
      + (error instanceof Error ? error.message : String(error)) };
  }
  try {
    return encodePlain(wire);
  } catch (e) {
    return JSON.stringify({ code: wire.code, message: wire.message + " (its data could not be sent: " + e.message + ")" });
  }
}

function invokeWindow(windowId, channel, payload, options) {
  const timeout = options == null ? undefined : options.timeout;
  const signal = options == null ? undefined : options.signal;
  if (typeof windowId !== "string") {
    return badArgument("invokeWindow() needs a window id string, got " + (windowId === null ? "null" : typeof windowId));
  }
  if (typeof channel !== "string") {
    return badArgument("Channel name must be a string, got " + (channel === null ? "null" : typeof channel));
  }
  if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout))) {
    return badArgument("invokeWindow(): the timeout must be a positive number of milliseconds, got " + String(timeout));
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    return badArgument("invokeWindow(): the signal must be an AbortSignal");
  }
  let json;
  try {
    json = encode(payload);
  } catch (e) {
    return Promise.reject(withCode(e));
  }
  const cancelled = () => {
    const e = kilnError(@E_CANCELLED@, "[@E_CANCELLED@] The call to window " + windowId + " on channel '" + channel + "' was cancelled");
    e.cause = signal.reason;
    return e;
  };
  if (signal !== undefined && signal.aborted) return Promise.reject(cancelled());
  flushSends(); // a call goes out after the sends made before it
  const id = nextPromiseId++;
  const [promise, resolvers] = newPromise();
  if (TRACE_SENDS) resolvers.site = new CallSite("called");
  if (signal !== undefined) {
    resolvers.cleanup = onAbort(signal, () => {
      if (!pending.has(id)) return;
      pending.delete(id);
      ops.@OP_CANCEL_CALL@(id);
      resolvers.reject(cancelled());
    });
  }
  pending.set(id, resolvers);
  try {
    op(ops.@OP_INVOKE@)(id, windowId, channel, json === undefined ? null : json, timeout === undefined ? 0 : Math.ceil(timeout));
  } catch (e) {
    pending.delete(id);
    resolvers.reject(withCode(e));
  }
  return promise;
}

/** Settles an invokeWindow() promise: ok with the result's JSON text (null: undefined), or the error's {code, message, data}. */
function settleCall(id, ok, json) {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  if (p.cleanup) p.cleanup();
  if (ok) {
    p.resolve(json == null ? undefined : parsePayload(json));
  } else {
    const e = parsePayload(json);
    p.reject(traced(new IpcError(e.code, e.message, e.data), p.site));
  }
}
