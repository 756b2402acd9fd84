// runtime:ipc streams: handleStream() fills the pages' window.runtime.stream reads from an async
// iterable, streamFromWindow() reads a page's window.runtime.handleStream producer. Backpressure is
// credit: a reader asks for values (its highWaterMark, then what it took), a producer is pulled only
// that far. The engine carries the credit both ways: StreamOps.java.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const DEFAULT_HIGH_WATER_MARK = @DEFAULT_HIGH_WATER_MARK@;
const streamProducers = new Map(); // channel -> the app's producer
const productions = new Map(); // production key -> { iterator, controller, credit, pumping, done }
const streamReaders = new Map(); // reading key -> reader

function handleStream(channel, producer) {
  if (typeof channel !== "string") {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] Channel name must be a string, got " + (channel === null ? "null" : typeof channel));
  }
  if (typeof producer !== "function") throw new TypeError("handleStream() needs a producer function, got " + typeof producer);
  const registration = op(ops.@OP_HANDLE_STREAM@)(channel);
  streamProducers.set(channel, producer);
  let active = true;
  return function unhandleStream() {
    if (!active) return;
    active = false;
    streamProducers.delete(channel);
    ops.@OP_UNHANDLE_STREAM@(registration);
  };
}

/** A page opened a stream on a channel of this app: starts its producer; values go out as credit comes (streamDemand). */
function streamStart(key, channel, payloadJson, windowId) {
  const producer = streamProducers.get(channel);
  const controller = new AbortController();
  const production = { iterator: null, controller, credit: 0, pumping: false, done: false, channel };
  productions.set(key, production);
  try {
    if (producer === undefined) throw kilnError(@E_NO_HANDLER@, "[@E_NO_HANDLER@] No stream producer for channel '" + channel + "' in the host");
    const iterable = producer(payloadJson == null ? undefined : parsePayload(payloadJson), { windowId, signal: controller.signal });
    const make = iterable == null ? undefined : iterable[Symbol.asyncIterator] || iterable[Symbol.iterator];
    if (typeof make !== "function") {
      throw new TypeError("The producer for channel '" + channel + "' returned no iterable (use an async generator function)");
    }
    production.iterator = make.call(iterable);
  } catch (e) {
    endProduction(key, production, e);
  }
}

function streamDemand(key, n) {
  const production = productions.get(key);
  if (production === undefined || production.done) return;
  production.credit += n;
  pump(key, production);
}

/** The reader stopped (or its page went away): abort the producer's signal and close its iterator. */
function streamStop(key, code, message) {
  const production = productions.get(key);
  if (production === undefined) return;
  productions.delete(key);
  production.done = true;
  production.controller.abort(kilnError(code, message));
  closeIterator(production.iterator);
}

function closeIterator(iterator) {
  if (iterator && typeof iterator.return === "function") {
    try {
      Promise.resolve(iterator.return()).catch(() => { });
    } catch (ignored) {
      // a return() that throws has nothing more to clean up
    }
  }
}

async function pump(key, production) {
  if (production.pumping) return;
  production.pumping = true;
  try {
    while (!production.done && production.credit > 0) {
      production.credit--;
      let step;
      try {
        step = await production.iterator.next();
      } catch (e) {
        endProduction(key, production, e);
        return;
      }
      if (production.done) return;
      if (step.done) {
        endProduction(key, production, null);
        return;
      }
      let json;
      try {
        json = step.value === undefined ? null : encode(step.value);
      } catch (e) {
        endProduction(key, production, kilnError(@E_SERIALIZATION@, "[@E_SERIALIZATION@] A value of the stream on channel '"
          + production.channel + "' cannot be sent: " + String(e.message).replace(/^\[\d+\] /, "")));
        closeIterator(production.iterator);
        return;
      }
      ops.@OP_STREAM_PUSH@(key, json === undefined ? null : json);
    }
  } finally {
    production.pumping = false;
  }
}

function endProduction(key, production, error) {
  if (production.done) return;
  production.done = true;
  productions.delete(key);
  if (error === null) {
    ops.@OP_STREAM_DONE@(key, true, null);
  } else {
    ops.@OP_STREAM_DONE@(key, false, errorPayload(production.channel, error));
  }
}

function streamFromWindow(windowId, channel, payload, options) {
  const highWaterMark = options == null || options.highWaterMark === undefined ? DEFAULT_HIGH_WATER_MARK : options.highWaterMark;
  const signal = options == null ? undefined : options.signal;
  if (typeof windowId !== "string") {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] streamFromWindow() needs a window id string, got " + (windowId === null ? "null" : typeof windowId));
  }
  if (typeof channel !== "string") {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] Channel name must be a string, got " + (channel === null ? "null" : typeof channel));
  }
  if (!(Number.isInteger(highWaterMark) && highWaterMark >= 1 && highWaterMark <= 1e9)) {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] streamFromWindow(): the highWaterMark must be a whole number from 1, got " + String(highWaterMark));
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] streamFromWindow(): the signal must be an AbortSignal");
  }
  let json;
  try {
    json = encodePlain(payload); // a stream request: its binaries stay in the text
  } catch (e) {
    throw withCode(e);
  }
  const cancelled = () => {
    const e = kilnError(@E_CANCELLED@, "[@E_CANCELLED@] The stream from window " + windowId + " on channel '" + channel + "' was cancelled");
    if (signal) e.cause = signal.reason;
    return e;
  };
  if (signal !== undefined && signal.aborted) throw cancelled();
  flushSends(); // the request goes out after the sends made before it
  const key = op(ops.@OP_STREAM_READ@)(windowId, channel, json === undefined ? null : json);
  const buffered = [];
  const waiting = [];
  let ended = false;
  let failure = null;
  let taken = 0;
  const refill = Math.max(1, Math.ceil(highWaterMark / 2));
  let stopWatching = null;
  const settleWaiting = () => {
    while (waiting.length > 0 && (buffered.length > 0 || ended)) {
      const w = waiting.shift();
      if (buffered.length > 0) {
        w.resolve({ value: buffered.shift(), done: false });
        if (!ended && ++taken >= refill) {
          ops.@OP_STREAM_REQUEST@(key, taken);
          taken = 0;
        }
      } else if (failure) {
        w.reject(traced(failure, w.site));
      } else {
        w.resolve({ value: undefined, done: true });
      }
    }
  };
  const finish = () => {
    streamReaders.delete(key);
    if (stopWatching) stopWatching();
  };
  const stop = (error) => {
    if (ended) return;
    ended = true;
    failure = error;
    buffered.length = 0;
    finish();
    ops.@OP_STREAM_CANCEL@(key);
    settleWaiting();
  };
  streamReaders.set(key, {
    item(value) {
      if (!ended) {
        buffered.push(value);
        settleWaiting();
      }
    },
    end(error) {
      if (ended) return;
      ended = true;
      failure = error;
      finish();
      settleWaiting();
    },
  });
  if (signal !== undefined) stopWatching = onAbort(signal, () => stop(cancelled()));
  ops.@OP_STREAM_REQUEST@(key, highWaterMark);
  const iterator = {
    next() {
      return new Promise((resolve, reject) => {
        waiting.push(TRACE_SENDS ? { resolve, reject, site: new CallSite("read") } : { resolve, reject });
        settleWaiting();
      });
    },
    return(value) {
      stop(null);
      return Promise.resolve({ value, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}

/** A value of a stream this app reads (JSON text, null for undefined). */
function streamItem(key, json) {
  const reader = streamReaders.get(key);
  if (reader) reader.item(json == null ? undefined : parsePayload(json));
}

/** The end of a stream this app reads: normally, or with the error's {code, message, data}. */
function streamEnd(key, ok, json) {
  const reader = streamReaders.get(key);
  if (!reader) return;
  if (ok) {
    reader.end(null);
  } else {
    const e = parsePayload(json);
    reader.end(new IpcError(e.code, e.message, e.data));
  }
}
