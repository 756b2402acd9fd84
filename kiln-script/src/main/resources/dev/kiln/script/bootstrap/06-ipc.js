// runtime:ipc: sendToWindow, broadcast, the event streams, the callbacks and recvWindowEvent.
// Part of the script host's bootstrap: Bootstrap.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope.

function replacer(key, value) {
  switch (typeof value) {
    case "function":
    case "bigint":
    case "symbol":
      throw new TypeError(typeof value + " values cannot be sent");
  }
  return value;
}

/**
 * JSON text of a payload, checked in V8 before it crosses; undefined when there is none.
 * Plain data goes through JSON.stringify's fast path; anything else (a function, symbol or BigInt
 * somewhere, toJSON, deep nesting) through a replacer that throws instead of dropping values.
 */
function encode(payload) {
  if (payload === undefined) return undefined;
  try {
    return plainData(payload, 0) ? JSON.stringify(payload) : JSON.stringify(payload, replacer);
  } catch (e) {
    throw kilnError(7003, "[7003] Payload cannot be serialized to JSON: " + reason(payload, e));
  }
}

/**
 * Whether JSON.stringify keeps every value of v as it is. False for what it would drop or throw
 * on, and for what this does not look into (toJSON, nesting deeper than 32), which the replacer checks.
 */
function plainData(v, depth) {
  switch (typeof v) {
    case "function":
    case "bigint":
    case "symbol":
      return false;
    case "object":
      if (v === null) return true;
      if (depth > 32 || typeof v.toJSON === "function") return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!plainData(v[i], depth + 1)) return false;
      } else {
        for (const k in v) if (!plainData(v[k], depth + 1)) return false;
      }
  }
  return true;
}

/** Where in the payload the first value JSON cannot carry sits, such as "a function at payload.onClick". */
function reason(payload, error) {
  const seen = new Set();
  function walk(v, path) {
    switch (typeof v) {
      case "function": return "a function at " + path;
      case "bigint": return "a BigInt at " + path;
      case "symbol": return "a symbol at " + path;
      case "object":
        if (v === null) return null;
        if (seen.has(v)) return "a cycle at " + path;
        if (typeof v.toJSON === "function") return null;
        seen.add(v);
        for (const k of Object.keys(v)) {
          const found = walk(v[k], Array.isArray(v) ? path + "[" + k + "]" : path + "." + k);
          if (found) return found;
        }
        seen.delete(v);
    }
    return null;
  }
  return walk(payload, "payload") || (error && error.message) || "unknown reason";
}

// The sends of one turn cross to Java together, in order, at the next microtask (IpcOps.ipcSendBatch):
// four values per send (promise id, window id or ids, channel, payload length) and the payload texts.
// Java settles their promises in batches too (settleSends). Checks that throw here (7003, a bad
// list of ids) still reject the send's own promise at the call.
// A turn that sends a great many hands them over every SEND_BATCH sends, so that the engine
// delivers the first while the script makes the next.
const SEND_BATCH = 4096;
let sendHeads = [];
let sendPayloads = [];
let sendFlushQueued = false;
const microtask = Promise.resolve();

// Registers its promise itself rather than through javaPromise: no closure per send on this hot path.
function queueSend(target, channel, payload) {
  const [promise, resolvers] = newPromise();
  try {
    if (channel != null && typeof channel !== "string") {
      throw kilnError(7000, "[7000] Channel name must be a string, got " + typeof channel);
    }
    const json = encode(payload);
    const id = nextPromiseId++;
    pending.set(id, resolvers);
    sendHeads.push(id, target, channel ?? null, json === undefined ? -1 : json.length);
    if (json !== undefined) sendPayloads.push(json);
  } catch (e) {
    resolvers.reject(withCode(e));
    return promise;
  }
  if (sendHeads.length >= 4 * SEND_BATCH) {
    flushSends();
  } else if (!sendFlushQueued) {
    sendFlushQueued = true;
    microtask.then(flushSends);
  }
  return promise;
}

/** Hands the queued sends to Java; also called before window operations, which must come after them. */
function flushSends() {
  sendFlushQueued = false;
  if (sendHeads.length === 0) return;
  const heads = sendHeads;
  const payloads = sendPayloads;
  sendHeads = [];
  sendPayloads = [];
  try {
    ops.ipcSendBatch(JSON.stringify(heads), payloads.length === 1 ? payloads[0] : payloads.join(""));
  } catch (e) {
    const error = withCode(e);
    for (let i = 0; i < heads.length; i += 4) {
      const p = pending.get(heads[i]);
      if (p) {
        pending.delete(heads[i]);
        p.reject(error);
      }
    }
  }
}

function sendToWindow(windowId, channel, payload) {
  if (windowId != null && typeof windowId !== "string") {
    return Promise.reject(new TypeError("sendToWindow() needs a window id string, got " + typeof windowId));
  }
  return queueSend(windowId ?? null, channel, payload);
}

function broadcast(windowIds, channel, payload) {
  if (windowIds == null || typeof windowIds[Symbol.iterator] !== "function") {
    return Promise.reject(new TypeError("broadcast() needs a list of window ids"));
  }
  return queueSend(Array.from(windowIds, String), channel, payload);
}

const STREAM_ALL = 0, STREAM_WINDOW = 1, STREAM_CHANNEL = 2, STREAM_OWN_WINDOW = 3;

/**
 * An async generator over a Java event stream. The stream is opened at the call, so no event is
 * missed before the first next(); return() (a `break` out of for-await) closes it, and so does its end.
 * Java hands over the events waiting in the stream in batches (streamNext), which next() then hands
 * out from here. Results come in call order: a next() made while an earlier one waits on Java
 * queues behind it.
 */
function openStream(kind, arg) {
  const sid = op(ops.streamOpen)(kind, arg);
  let closed = false;
  let taken = null; // events from Java not yet handed out
  let takenAt = 0;
  let tail = null; // the latest next() still waiting on Java, directly or behind another
  const close = () => {
    taken = null;
    if (!closed) {
      closed = true;
      ops.streamClose(sid);
    }
  };
  const done = (value) => ({ value, done: true });
  const handOut = () => {
    const value = taken[takenAt++];
    if (takenAt === taken.length) taken = null;
    return { value, done: false };
  };
  const pull = () => {
    if (closed) return done(undefined);
    if (taken !== null) return handOut();
    return javaPromise((id) => ops.streamNext(sid, id)).then((events) => {
      if (events == null) {
        close();
        return done(undefined);
      }
      if (closed) return { value: events[0], done: false }; // return() came while it waited: as a lone wait would
      taken = events;
      takenAt = 0;
      return handOut();
    });
  };
  return {
    next() {
      if (tail === null && (closed || taken !== null)) return Promise.resolve(pull());
      const result = tail === null ? pull() : tail.then(pull, pull);
      tail = result;
      const settled = () => {
        if (tail === result) tail = null;
      };
      result.then(settled, settled);
      return result;
    },
    return(value) {
      close();
      return Promise.resolve(done(value));
    },
    throw(error) {
      close();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    [Symbol.toStringTag]: "AsyncGenerator",
  };
}

function windowEvents() {
  return openStream(STREAM_ALL, null);
}

function windowEventsFor(windowId) {
  if (typeof windowId !== "string") throw new TypeError("windowEventsFor() needs a window id string");
  return openStream(STREAM_WINDOW, windowId);
}

function channelEvents(channel) {
  return openStream(STREAM_CHANNEL, channel);
}

const listeners = new Map(); // subscription id -> callback
let nextListenerId = 1;

function listen(kind, arg, callback) {
  if (typeof callback !== "function") throw new TypeError("The callback must be a function, got " + typeof callback);
  const sid = nextListenerId++;
  listeners.set(sid, callback); // events(): an onChannel entry is [windowId, payload], an onEvent one the event
  try {
    op(ops.subscribe)(sid, kind, arg);
  } catch (e) {
    listeners.delete(sid);
    throw e;
  }
  let active = true;
  return function unsubscribe() {
    if (!active) return;
    active = false;
    listeners.delete(sid);
    ops.unsubscribe(sid);
  };
}

function onEvent(callback) {
  return listen(STREAM_ALL, null, callback);
}

function onChannel(channel, callback) {
  if (typeof channel !== "string") {
    throw kilnError(7000, "[7000] Channel name must be a string, got " + (channel === null ? "null" : typeof channel));
  }
  return listen(STREAM_CHANNEL, channel, callback);
}

/**
 * The events Java gathered for the callbacks (InboundEvents.java), in order: pairs of a listener id
 * and an event object (onEvent) or [windowId, payload] (onChannel). A listener removed meanwhile
 * gets nothing more; an uncaught exception stops the rest, as the app is ending.
 */
function events(json) {
  const batch = JSON.parse(json);
  for (let i = 0; i < batch.length; i += 2) {
    const callback = listeners.get(batch[i]);
    if (callback === undefined) continue;
    const item = batch[i + 1];
    if (!guarded(callback, Array.isArray(item) ? [item[1], item[0]] : [item])) return;
  }
}

function recvWindowEvent() {
  return javaPromise((id) => ops.recv(id));
}

const ipc = Object.freeze({
  sendToWindow, broadcast, windowEvents, windowEventsFor, channelEvents, onEvent, onChannel, recvWindowEvent,
});
