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

/** JSON text of a payload, checked in V8 before it crosses; undefined when there is none. */
function encode(payload) {
  if (payload === undefined) return undefined;
  try {
    return JSON.stringify(payload, replacer);
  } catch (e) {
    throw kilnError(7003, "[7003] Payload cannot be serialized to JSON: " + reason(payload, e));
  }
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

function sendToWindow(windowId, channel, payload) {
  return javaPromise((id) => ops.ipcSend(id, windowId, channel, encode(payload)));
}

function broadcast(windowIds, channel, payload) {
  return javaPromise((id) => {
    if (windowIds == null || typeof windowIds[Symbol.iterator] !== "function") {
      throw new TypeError("broadcast() needs a list of window ids");
    }
    ops.ipcBroadcast(id, JSON.stringify(Array.from(windowIds, String)), channel, encode(payload));
  });
}

const STREAM_ALL = 0, STREAM_WINDOW = 1, STREAM_CHANNEL = 2, STREAM_OWN_WINDOW = 3;

/**
 * An async generator over a Java event stream. The stream is opened at the call, so no event is
 * missed before the first next(); return() (a `break` out of for-await) closes it, and so does its end.
 */
function openStream(kind, arg) {
  const sid = op(ops.streamOpen)(kind, arg);
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      ops.streamClose(sid);
    }
  };
  const done = (value) => ({ value, done: true });
  return {
    next() {
      if (closed) return Promise.resolve(done(undefined));
      return javaPromise((id) => ops.streamNext(sid, id)).then((event) => {
        if (event == null) {
          close();
          return done(undefined);
        }
        return { value: event, done: false };
      });
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
  listeners.set(sid, callback);
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

function event(sid, json) {
  const callback = listeners.get(sid);
  if (callback) guarded(callback, [JSON.parse(json)]);
}

function channel(sid, windowId, payloadJson) {
  const callback = listeners.get(sid);
  if (callback) guarded(callback, [JSON.parse(payloadJson), windowId]);
}

function recvWindowEvent() {
  return javaPromise((id) => ops.recv(id));
}

const ipc = Object.freeze({
  sendToWindow, broadcast, windowEvents, windowEventsFor, channelEvents, onEvent, onChannel, recvWindowEvent,
});
