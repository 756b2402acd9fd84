// runtime:ipc: sendToWindow, broadcast, the event streams, the callbacks and recvWindowEvent.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

// The payload rules (Kiln's docs/payloads.md), the page's too: kiln-ipc's payload-check.js, which
// ScriptProtocol inlines here. encode(payload) is the JSON text, or undefined for none; it throws a
// coded Error (7003) naming where a value JSON would drop or corrupt sits.
//
// Large binaries (docs/payloads.md) cross outside the JSON text as ArrayBuffers handed to Java: encode()
// gives Java a copy of each binary of ATTACH_FROM_BYTES or more (stashBinary) and writes its token in
// the text; the engine sends those bytes as the message's attachments. parsePayload() fills a new
// ArrayBuffer with each binary a page uploaded (takeBinary). encodePlain() keeps every binary in the
// text, for what the engine does not send as a message with attachments (a stream request, an error).
const payloadCodec = @PAYLOAD_CHECK@;
const stashLarge = (bytes) => bytes.length >= @ATTACH_FROM_BYTES@ ? ops.@OP_STASH_BINARY@(bytes) : undefined;
const takeUploaded = (token, size) => {
  const buffer = new ArrayBuffer(size);
  ops.@OP_TAKE_BINARY@(token, buffer);
  return buffer;
};
const encode = (payload) => payloadCodec.json(payload, stashLarge);
const encodePlain = payloadCodec.json;
// JSON.parse, with binary values back as themselves (05-promises.js uses it too)
const parsePayload = (text) => payloadCodec.parse(text, takeUploaded);

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
      throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] Channel name must be a string, got " + typeof channel);
    }
    const json = encode(payload);
    const id = nextPromiseId++;
    pending.set(id, resolvers);
    if (TRACE_SENDS) resolvers.site = new CallSite("sent");
    sendHeads.push(id, target, channel ?? null, json === undefined ? -1 : json.length); // SEND_HEAD_SIZE values
    if (json !== undefined) sendPayloads.push(json);
  } catch (e) {
    resolvers.reject(withCode(e));
    return promise;
  }
  if (sendHeads.length >= @SEND_HEAD_SIZE@ * SEND_BATCH) {
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
    ops.@OP_SEND_BATCH@(JSON.stringify(heads), payloads.length === 1 ? payloads[0] : payloads.join(""));
  } catch (e) {
    const error = withCode(e);
    for (let i = 0; i < heads.length; i += @SEND_HEAD_SIZE@) {
      const p = pending.get(heads[i]);
      if (p) {
        pending.delete(heads[i]);
        p.reject(traced(error, p.site));
      }
    }
  }
}

// A window id that is not a string is the app's mistake, not a window that went away: 7000, so that
// an unhandled one ends the app as a bug does (an unhandled 7002 is only a warning).
function badArgument(message) {
  return Promise.reject(kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] " + message));
}

function sendToWindow(windowId, channel, payload) {
  if (typeof windowId !== "string") {
    return badArgument("sendToWindow() needs a window id string, got " + (windowId === null ? "null" : typeof windowId));
  }
  return queueSend(windowId, channel, payload);
}

function broadcast(windowIds, channel, payload) {
  if (windowIds == null || typeof windowIds === "string" || typeof windowIds[Symbol.iterator] !== "function") {
    return badArgument("broadcast() needs a list of window ids, got "
      + (windowIds === null ? "null" : typeof windowIds === "string" ? "a string" : typeof windowIds));
  }
  const ids = Array.from(windowIds);
  for (let i = 0; i < ids.length; i++) {
    if (typeof ids[i] !== "string") {
      return badArgument("broadcast() needs window id strings, got " + typeof ids[i] + " at index " + i);
    }
  }
  return queueSend(ids, channel, payload);
}

const STREAM_ALL = @STREAM_ALL@, STREAM_WINDOW = @STREAM_WINDOW@, STREAM_CHANNEL = @STREAM_CHANNEL@, STREAM_OWN_WINDOW = @STREAM_OWN_WINDOW@;

/**
 * An async generator over a Java event stream. The stream is opened at the call, so no event is
 * missed before the first next(); return() (a `break` out of for-await) closes it, and so does its end.
 * Java hands over the events waiting in the stream in batches (streamNext), which next() then hands
 * out from here. Results come in call order: a next() made while an earlier one waits on Java
 * queues behind it.
 */
function openStream(kind, arg) {
  const sid = op(ops.@OP_STREAM_OPEN@)(kind, arg);
  let closed = false;
  let taken = null; // events from Java not yet handed out
  let takenAt = 0;
  let tail = null; // the latest next() still waiting on Java, directly or behind another
  const close = () => {
    taken = null;
    if (!closed) {
      closed = true;
      ops.@OP_STREAM_CLOSE@(sid);
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
    return javaPromise((id) => ops.@OP_STREAM_NEXT@(sid, id)).then((events) => {
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
    op(ops.@OP_SUBSCRIBE@)(sid, kind, arg);
  } catch (e) {
    listeners.delete(sid);
    throw e;
  }
  let active = true;
  return function unsubscribe() {
    if (!active) return;
    active = false;
    listeners.delete(sid);
    ops.@OP_UNSUBSCRIBE@(sid);
  };
}

function onEvent(callback) {
  return listen(STREAM_ALL, null, callback);
}

function onChannel(channel, callback) {
  if (typeof channel !== "string") {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] Channel name must be a string, got " + (channel === null ? "null" : typeof channel));
  }
  return listen(STREAM_CHANNEL, channel, callback);
}

/**
 * The events Java gathered for the callbacks (InboundEvents.java), in order: pairs of a listener id
 * and an event object (onEvent) or [windowId, payload] (onChannel). A listener removed meanwhile
 * gets nothing more; an uncaught exception stops the rest, as the app is ending.
 */
function events(json) {
  const batch = parsePayload(json);
  for (let i = 0; i < batch.length; i += 2) {
    const callback = listeners.get(batch[i]);
    if (callback === undefined) continue;
    const item = batch[i + 1];
    if (!guarded(callback, Array.isArray(item) ? [item[1], item[0]] : [item])) return;
  }
}

function recvWindowEvent() {
  return javaPromise((id) => ops.@OP_RECV@(id));
}

const ipc = Object.freeze({
  sendToWindow, broadcast, windowEvents, windowEventsFor, channelEvents, onEvent, onChannel, recvWindowEvent,
  handle, invokeWindow, IpcError, // from 06-ipc-calls.js
  handleStream, streamFromWindow, // from 06-ipc-streams.js
});
