// The JavaScript half of Kiln's script host: globals (console, timers, TextEncoder/TextDecoder),
// stack traces mapped to the TypeScript sources, and the runtime:ipc / runtime:window APIs.
// Evaluated once per runtime as a function of `ops`, the Java operations (ScriptRuntime and the
// *Ops classes). Returns the functions Java calls back: settle, fire, event, channel, describe.
(function (ops) {
  "use strict";

  const INTERNAL = Symbol.for("kiln.internal");

  // ---------------------------------------------------------------- errors

  /** An Error carrying its Kiln code, as thrown by every runtime: API. */
  function kilnError(code, message, extra) {
    const error = new Error(message);
    error.code = code;
    if (extra) Object.assign(error, extra);
    return error;
  }

  /** Java exceptions arrive as Errors whose message starts with "[700x]": give them their code. */
  function withCode(error) {
    if (error instanceof Error && error.code === undefined) {
      const m = /^\[(700\d)\] /.exec(error.message);
      if (m) error.code = Number(m[1]);
    }
    return error;
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

  function formatFrame(frame) {
    const file = frame.getFileName();
    let location;
    if (file == null) {
      location = frame.isEval() ? "<eval>" : "<anonymous>";
    } else {
      location = ops.mapFrame(file, frame.getLineNumber() || 0, frame.getColumnNumber() || 0);
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

  // ---------------------------------------------------------------- console

  function inspect(value, depth = 0, seen = new Set()) {
    switch (typeof value) {
      case "string":
        return depth === 0 ? value : JSON.stringify(value);
      case "number":
        return Object.is(value, -0) ? "-0" : String(value);
      case "bigint":
        return value + "n";
      case "undefined":
        return "undefined";
      case "boolean":
        return String(value);
      case "symbol":
        return value.toString();
      case "function":
        return (/^class\s/.test(Function.prototype.toString.call(value)) ? "[class " : "[Function: ")
          + (value.name || "(anonymous)") + "]";
    }
    if (value === null) return "null";
    if (seen.has(value)) return "[Circular]";
    if (value instanceof Error) return depth === 0 ? describe(value) : "[" + Error.prototype.toString.call(value) + "]";
    if (value instanceof Date) return isNaN(value) ? "Invalid Date" : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof Promise) return "Promise {}";
    if (depth > 4) return Array.isArray(value) ? "[Array]" : "[Object]";
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        const items = value.slice(0, 100).map((v) => inspect(v, depth + 1, seen));
        if (value.length > 100) items.push("... " + (value.length - 100) + " more items");
        return wrap("[", items, "]");
      }
      if (ArrayBuffer.isView(value)) {
        const items = Array.from(value.slice(0, 100), (v) => inspect(v, depth + 1, seen));
        return value.constructor.name + "(" + value.length + ") " + wrap("[", items, "]");
      }
      if (value instanceof Map) {
        const items = [...value].map(([k, v]) => inspect(k, depth + 1, seen) + " => " + inspect(v, depth + 1, seen));
        return "Map(" + value.size + ") " + wrap("{", items, "}");
      }
      if (value instanceof Set) {
        const items = [...value].map((v) => inspect(v, depth + 1, seen));
        return "Set(" + value.size + ") " + wrap("{", items, "}");
      }
      const items = Object.keys(value).map((k) =>
        (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)) + ": " + inspect(value[k], depth + 1, seen));
      const ctor = Object.getPrototypeOf(value);
      const name = ctor === null ? "[Object: null prototype] "
        : ctor.constructor && ctor.constructor !== Object && ctor.constructor.name ? ctor.constructor.name + " " : "";
      return name + wrap("{", items, "}");
    } finally {
      seen.delete(value);
    }
  }

  function wrap(open, items, close) {
    if (items.length === 0) return open + close;
    const flat = open + " " + items.join(", ") + " " + close;
    if (flat.length <= 72 && !flat.includes("\n")) return flat;
    return open + "\n" + items.map((i) => "  " + i.split("\n").join("\n  ")).join(",\n") + "\n" + close;
  }

  function format(args) {
    let rest = Array.from(args);
    let out = "";
    if (typeof rest[0] === "string" && rest.length > 1 && rest[0].includes("%")) {
      const fmt = rest.shift();
      out = fmt.replace(/%([sdifoOjc%])/g, (m, c) => {
        if (c === "%") return "%";
        if (rest.length === 0) return m;
        const v = rest.shift();
        switch (c) {
          case "s": return typeof v === "string" ? v : inspect(v, 1);
          case "d": case "i": return typeof v === "bigint" ? v + "n" : String(c === "i" ? parseInt(v) : Number(v));
          case "f": return String(parseFloat(v));
          case "j": try { return JSON.stringify(v); } catch (e) { return "[Circular]"; }
          case "c": return "";
          default: return inspect(v, 1);
        }
      });
      if (rest.length === 0) return out;
      out += " ";
    }
    return out + rest.map((v) => inspect(v)).join(" ");
  }

  const LEVELS = { debug: 0, log: 1, info: 1, warn: 2, error: 3 };
  const counts = new Map();
  const timings = new Map();
  let indent = "";
  function print(level, args) {
    const text = format(args);
    ops.print(level, indent ? indent + text.split("\n").join("\n" + indent) : text);
  }
  const console = {};
  for (const [name, level] of Object.entries(LEVELS)) {
    console[name] = function () { print(level, arguments); };
  }
  console.trace = function () {
    const e = new Error(format(arguments));
    e.name = "Trace";
    print(3, [e.stack]);
  };
  console.assert = function (condition, ...args) {
    if (!condition) print(3, ["Assertion failed" + (args.length ? ": " + format(args) : "")]);
  };
  console.dir = function (v) { print(1, [inspect(v, 1)]); };
  console.table = console.log;
  console.count = function (label = "default") {
    counts.set(label, (counts.get(label) || 0) + 1);
    print(1, [label + ": " + counts.get(label)]);
  };
  console.countReset = function (label = "default") { counts.delete(label); };
  console.time = function (label = "default") { timings.set(label, Date.now()); };
  console.timeLog = function (label = "default", ...args) {
    print(1, [label + ": " + (Date.now() - (timings.get(label) ?? Date.now())) + "ms", ...args]);
  };
  console.timeEnd = function (label = "default") {
    console.timeLog(label);
    timings.delete(label);
  };
  console.group = function () { if (arguments.length) print(1, arguments); indent += "  "; };
  console.groupEnd = function () { indent = indent.slice(2); };

  // ---------------------------------------------------------------- timers

  const timers = new Map(); // id -> { callback, args, repeat, delay }
  let nextTimerId = 1;

  function startTimer(callback, delay, args, repeat) {
    if (typeof callback !== "function") {
      throw new TypeError("The callback of a timer must be a function, got " + typeof callback);
    }
    delay = Number(delay);
    delay = Number.isFinite(delay) && delay > 0 ? Math.floor(delay) : 0;
    const id = nextTimerId++;
    timers.set(id, { callback, args, repeat, delay });
    ops.timerStart(id, delay);
    return id;
  }

  function stopTimer(id) {
    id = Number(id);
    if (timers.delete(id)) ops.timerCancel(id);
  }

  function fire(id) {
    const timer = timers.get(id);
    if (!timer) return;
    if (timer.repeat) {
      ops.timerStart(id, timer.delay);
    } else {
      timers.delete(id);
    }
    guarded(timer.callback, timer.args);
  }

  /** Runs a callback of the app; an exception it throws ends the app, as in Deno. */
  function guarded(fn, args) {
    try {
      const result = fn.apply(undefined, args);
      if (result && typeof result.then === "function") {
        // An async callback's rejection is an unhandled rejection, reported by the host.
      }
    } catch (e) {
      ops.uncaught(describe(e));
    }
  }

  // ---------------------------------------------------------------- TextEncoder / TextDecoder

  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input = "") {
      return encodeUtf8(String(input));
    }
    encodeInto(source, destination) {
      const bytes = encodeUtf8(String(source));
      let written = 0;
      let read = 0;
      // Count whole characters that fit.
      for (const ch of String(source)) {
        const size = utf8Size(ch.codePointAt(0));
        if (written + size > destination.length) break;
        written += size;
        read += ch.length;
      }
      destination.set(bytes.subarray(0, written));
      return { read, written };
    }
  }

  function utf8Size(cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  function encodeUtf8(s) {
    const out = new Uint8Array(s.length * 3);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      let cp = s.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        } else {
          cp = 0xfffd;
        }
      } else if (cp >= 0xd800 && cp <= 0xdfff) {
        cp = 0xfffd;
      }
      if (cp < 0x80) {
        out[n++] = cp;
      } else if (cp < 0x800) {
        out[n++] = 0xc0 | (cp >> 6);
        out[n++] = 0x80 | (cp & 63);
      } else if (cp < 0x10000) {
        out[n++] = 0xe0 | (cp >> 12);
        out[n++] = 0x80 | ((cp >> 6) & 63);
        out[n++] = 0x80 | (cp & 63);
      } else {
        out[n++] = 0xf0 | (cp >> 18);
        out[n++] = 0x80 | ((cp >> 12) & 63);
        out[n++] = 0x80 | ((cp >> 6) & 63);
        out[n++] = 0x80 | (cp & 63);
      }
    }
    return out.slice(0, n);
  }

  class TextDecoder {
    constructor(label = "utf-8", options = {}) {
      const l = String(label).trim().toLowerCase();
      if (l !== "utf-8" && l !== "utf8" && l !== "unicode-1-1-utf-8") {
        throw new RangeError("TextDecoder supports only utf-8, got '" + label + "'");
      }
      this.fatal = Boolean(options.fatal);
      this.ignoreBOM = Boolean(options.ignoreBOM);
    }
    get encoding() { return "utf-8"; }
    decode(input) {
      if (input === undefined) return "";
      const bytes = input instanceof ArrayBuffer ? new Uint8Array(input)
        : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      let i = 0;
      if (!this.ignoreBOM && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
      const parts = [];
      let chunk = [];
      const bad = () => {
        if (this.fatal) throw new TypeError("The encoded data was not valid utf-8");
        return 0xfffd;
      };
      while (i < bytes.length) {
        const b = bytes[i];
        let cp;
        let need = 0;
        if (b < 0x80) { cp = b; } else if (b >= 0xc2 && b < 0xe0) { cp = b & 31; need = 1; } else if (b >= 0xe0 && b < 0xf0) { cp = b & 15; need = 2; } else if (b >= 0xf0 && b < 0xf5) { cp = b & 7; need = 3; } else { cp = bad(); }
        i++;
        let ok = true;
        for (let k = 0; k < need; k++) {
          const c = bytes[i];
          if (c === undefined || (c & 0xc0) !== 0x80) { ok = false; break; }
          cp = (cp << 6) | (c & 63);
          i++;
        }
        if (!ok || (need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff))) {
          cp = bad();
        }
        chunk.push(cp);
        if (chunk.length >= 8192) { parts.push(String.fromCodePoint.apply(null, chunk)); chunk = []; }
      }
      parts.push(String.fromCodePoint.apply(null, chunk));
      return parts.join("");
    }
  }

  // ---------------------------------------------------------------- promises settled by Java

  const pending = new Map(); // promise id -> { resolve, reject, map }
  let nextPromiseId = 1;

  /** A promise that Java settles through settle(id, ...); `start(id)` starts the operation. */
  function javaPromise(start, map) {
    const id = nextPromiseId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, map });
      try {
        start(id);
      } catch (e) {
        pending.delete(id);
        reject(withCode(e));
      }
    });
  }

  function settle(id, code, text) {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (code === 0) {
      const value = text == null ? undefined : JSON.parse(text);
      p.resolve(p.map ? p.map(value) : value);
    } else {
      let extra;
      if (code >= 7000 && code <= 7004) {
        const nl = text.indexOf("\n{");
        if (nl >= 0) {
          extra = JSON.parse(text.slice(nl + 1));
          text = text.slice(0, nl);
        }
      }
      p.reject(code > 0 ? kilnError(code, text, extra) : new Error(text));
    }
  }

  // ---------------------------------------------------------------- runtime:ipc

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

  async function* stream(kind, arg) {
    const sid = op(ops.streamOpen)(kind, arg);
    try {
      for (;;) {
        const event = await javaPromise((id) => ops.streamNext(sid, id));
        if (event == null) return;
        yield event;
      }
    } finally {
      ops.streamClose(sid);
    }
  }

  // Opens the stream at the call, not at the first next(), so that no event is missed in between.
  function openStream(kind, arg) {
    const it = stream(kind, arg);
    const first = it.next();
    let taken = false;
    return {
      next() {
        if (!taken) {
          taken = true;
          return first;
        }
        return it.next();
      },
      return(value) {
        taken = true;
        return first.then(() => it.return(value), () => it.return(value));
      },
      throw(error) {
        taken = true;
        return first.then(() => it.throw(error));
      },
      [Symbol.asyncIterator]() {
        return this;
      },
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

  // ---------------------------------------------------------------- runtime:window

  class WindowHandle {
    #id;
    constructor(id) {
      this.#id = id;
    }
    get id() { return this.#id; }
    #call(method, ...args) {
      const result = op(ops.windowCall)(this.#id, method, JSON.stringify(args));
      return result == null ? undefined : JSON.parse(result);
    }
    close() { this.#call("close"); }
    isClosed() { return this.#call("isClosed"); }
    setTitle(title) { this.#call("setTitle", String(title)); }
    getTitle() { return this.#call("getTitle"); }
    setSize(width, height) { this.#call("setSize", width, height); }
    getSize() { return this.#call("getSize"); }
    setPosition(x, y) { this.#call("setPosition", x, y); }
    getPosition() { return this.#call("getPosition"); }
    focus() { this.#call("focus"); }
    show() { this.#call("show"); }
    hide() { this.#call("hide"); }
    isVisible() { return this.#call("isVisible"); }
    isFocused() { return this.#call("isFocused"); }
    events() { return openStream(STREAM_OWN_WINDOW, this.#id); }
    toJSON() { return { id: this.#id }; }
  }

  function createWindow(options = {}) {
    return javaPromise((id) => {
      if (options === null || typeof options !== "object") {
        throw new TypeError("createWindow() takes an options object");
      }
      ops.windowCreate(id, JSON.stringify(options));
    }, (info) => new WindowHandle(info.id));
  }

  function closeWindow(id) {
    op(ops.windowClose)(String(id));
  }

  const window = Object.freeze({ createWindow, closeWindow });

  // ---------------------------------------------------------------- globals

  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define("console", console);
  define("setTimeout", (cb, delay, ...args) => startTimer(cb, delay, args, false));
  define("setInterval", (cb, delay, ...args) => startTimer(cb, delay, args, true));
  define("clearTimeout", stopTimer);
  define("clearInterval", stopTimer);
  define("TextEncoder", TextEncoder);
  define("TextDecoder", TextDecoder);
  Object.defineProperty(globalThis, INTERNAL, { value: Object.freeze({ ipc, window }) });

  return { settle, fire, event, channel, describe };
});
