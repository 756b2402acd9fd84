// Kiln page bridge: defines window.runtime for documents of the app's own origin.
// Every token written as a name between at-signs is replaced by the host (BridgeProtocol) with a JSON literal,
// so the page and the host share one definition of the wire names, codes and limits.
(function () {
  "use strict";
  var MARKER = @MARKER@;
  var HOST_MEMBER = @HOST_MEMBER@;
  var PORT_MEMBER = @PORT_MEMBER@;
  var CHANNEL_KEY = @CHANNEL_KEY@;
  var PAYLOAD_KEY = @PAYLOAD_KEY@;
  var MAX_CHANNEL_LENGTH = @MAX_CHANNEL_LENGTH@;
  var MAX_PAYLOAD_BYTES = @MAX_PAYLOAD_BYTES@;
  var RESERVED = @RESERVED_CHANNELS@;
  var E_SEND = @E_CHANNEL_SEND@;
  var E_SERIALIZATION = @E_SERIALIZATION@;
  var E_DENIED = @E_PERMISSION_DENIED@;
  var HELD_MAX_MESSAGES = @HELD_MAX_MESSAGES@;
  var HELD_MAX_BYTES = @HELD_MAX_BYTES@;

  var listeners = new Map();
  var MSG_START = "{" + JSON.stringify(CHANNEL_KEY) + ":";
  var MSG_PAYLOAD = "," + JSON.stringify(PAYLOAD_KEY) + ":";

  function reportError(where, e) {
    try {
      host.report(where + ": " + (e && e.stack ? e + "\n" + e.stack : String(e)));
    } catch (ignored) {
      // the host is gone (window closing): nothing left to tell
    }
  }

  // Set once the bridge is granted: sends made by listeners during a delivery go out when it
  // ends, since WebKit runs no microtask checkpoint after a call from Java until its next pulse.
  var flushAfterDelivery = null;

  // The host calls port.deliver(batchJson) with [{c, p}, ...]: one call per drained batch.
  var port = {
    // Returns false, having delivered nothing, if the text does not parse (a malformed raw
    // payload): the host then hands the messages over one by one, so only the bad one is lost.
    deliver: function (text) {
      var batch;
      try {
        batch = JSON.parse(text);
      } catch (e) {
        return false;
      }
      try {
        dispatch(batch);
      } finally {
        if (flushAfterDelivery) flushAfterDelivery();
      }
      return true;
    },
    // The host calls this after running a script of its own in the page (Automation.evaluate).
    flush: function () {
      if (flushAfterDelivery) flushAfterDelivery();
    }
  };

  function dispatch(batch) {
    for (var i = 0; i < batch.length; i++) {
      var m = batch[i];
      var channel = m[CHANNEL_KEY];
      if (!listeners.has(channel) || replaying.has(channel)) {
        hold(channel, m[PAYLOAD_KEY]);
      } else {
        callListeners(channel, m[PAYLOAD_KEY]);
      }
    }
  }

  function callListeners(channel, payload) {
    var snapshot = listeners.get(channel).slice();
    for (var j = 0; j < snapshot.length; j++) {
      try {
        snapshot[j](payload);
      } catch (e) {
        reportError("listener on channel '" + channel + "' threw", e);
      }
    }
  }

  // Messages for a channel nobody listens to yet (a framework subscribes after DOMContentLoaded)
  // are held, oldest first, up to HELD_MAX_MESSAGES and HELD_MAX_BYTES for the document; beyond
  // that the oldest are dropped and the host is told how many. The first listener registered for
  // a channel gets its held messages (in a microtask after on(), in order, before any newer
  // message for that channel); then they are gone: later listeners see only new messages.
  var encoder = new TextEncoder();
  var held = [];          // [{c, p, n}] in arrival order, all channels
  var heldBytes = 0;
  var replaying = new Set(); // channels whose held messages go out in the next microtask
  var droppedCount = 0;
  var droppedChannel = null;

  function hold(channel, payload) {
    // the payload's size as the host sent it (UTF-8 JSON); only paid for held messages
    var n = payload === undefined ? 4 : encoder.encode(JSON.stringify(payload)).length;
    held.push({ c: channel, p: payload, n: n });
    heldBytes += n;
    while (held.length > HELD_MAX_MESSAGES || (heldBytes > HELD_MAX_BYTES && held.length > 0)) {
      var old = held.shift();
      heldBytes -= old.n;
      if (droppedCount === 0) setTimeout(reportDropped, 200); // one report per burst
      droppedCount++;
      droppedChannel = old.c;
    }
  }

  function reportDropped() {
    var count = droppedCount;
    droppedCount = 0;
    try { host.dropped(count, droppedChannel); } catch (ignored) { }
  }

  function replay(channel) {
    replaying.delete(channel);
    var mine = [];
    var rest = [];
    for (var i = 0; i < held.length; i++) {
      (held[i].c === channel ? mine : rest).push(held[i]);
    }
    if (mine.length === 0) return;
    if (!listeners.has(channel)) return; // unsubscribed before the replay: keep holding
    held = rest;
    for (var j = 0; j < mine.length; j++) {
      heldBytes -= mine[j].n;
      if (listeners.has(channel)) {
        callListeners(channel, mine[j].p);
      } else {
        hold(channel, mine[j].p);
      }
    }
  }

  // This element carries the per-launch marker: take it out of the document before any page script runs.
  var bridgeElement = document.currentScript;
  if (bridgeElement && bridgeElement.parentNode) bridgeElement.parentNode.removeChild(bridgeElement);
  // The bridge belongs to the top document: a frame (even an app page in an iframe) does not ask.
  if (window.top !== window) {
    return;
  }

  window[PORT_MEMBER] = port;
  alert(MARKER); // the host's alert handler runs now, synchronously, and grants HOST_MEMBER if allowed
  var host = window[HOST_MEMBER];
  try { delete window[HOST_MEMBER]; } catch (ignored) { }
  try { delete window[PORT_MEMBER]; } catch (ignored) { }
  if (!host || typeof host !== "object") {
    return; // not granted: this document gets no window.runtime
  }
  // The host's reference to the port does not keep it alive in JavaScriptCore: the page must,
  // for as long as the document lives, or a garbage collection invalidates the host's handle.
  Object.defineProperty(window, PORT_MEMBER, { value: port, enumerable: false, writable: false, configurable: false });

  // ---- Page console hook: begin (console.*, uncaught errors and unhandled rejections go to the host) ----
  // The original console keeps working; the host checks, escapes and rate-limits everything (PageConsole).
  (function installConsoleHook(enabled, maxChars) {
    if (!enabled) return;
    var busy = false; // a toJSON or toString that logs must not loop
    function frameAt(stack, skip) {
      var lines = typeof stack === "string" ? stack.split("\n") : [];
      for (var i = skip; i < lines.length; i++) {
        var at = lines[i].indexOf("@") >= 0 ? lines[i].slice(lines[i].indexOf("@") + 1) : lines[i];
        if (/:\d+:\d+$/.test(at)) return at;
      }
      return "";
    }
    function show(v) {
      var t = typeof v;
      if (t === "string") return v;
      if (v instanceof Error) return String(v);
      if (t === "undefined" || t === "symbol" || t === "number" || t === "boolean") return String(v);
      if (t === "bigint") return v + "n";
      if (t === "function") return "function " + (v.name || "(anonymous)");
      try {
        var json = JSON.stringify(v);
        if (json !== undefined) return json;
      } catch (ignored) { }
      try { return String(v); } catch (ignored) { return "[object]"; }
    }
    function forward(level, parts, where) {
      if (busy) return;
      busy = true;
      try {
        var text = "";
        for (var i = 0; i < parts.length && text.length <= maxChars; i++) text += (i > 0 ? " " : "") + show(parts[i]);
        host.console(level, text.length > maxChars + 1 ? text.slice(0, maxChars + 1) : text, where);
      } catch (ignored) {
        // the host is gone (window closing): the original console still has it
      } finally {
        busy = false;
      }
    }
    ["debug", "log", "info", "warn", "error"].forEach(function (level) {
      var original = console[level];
      console[level] = function () {
        forward(level, arguments, frameAt(new Error().stack, 1));
        if (typeof original === "function") return original.apply(console, arguments);
      };
    });
    window.addEventListener("error", function (e) {
      var where = e.filename ? e.filename + ":" + e.lineno + ":" + e.colno : "";
      forward("error", ["Uncaught " + (e.error instanceof Error ? String(e.error) : e.message)], where);
    });
    window.addEventListener("unhandledrejection", function (e) {
      var r = e.reason;
      forward("error", ["Unhandled promise rejection: " + show(r)], r instanceof Error ? frameAt(r.stack, 0) : "");
    });
  })(@PAGE_CONSOLE@, @CONSOLE_MAX_CHARS@);
  // ---- Page console hook: end ----

  function kilnError(code, message) {
    var e = new Error("[" + code + "] " + message);
    e.code = code;
    return e;
  }

  function describe(v) {
    if (v === null) return "null";
    return typeof v;
  }

  function checkChannel(channel) {
    if (typeof channel !== "string") {
      throw kilnError(E_SEND, "Channel name must be a string, got " + describe(channel));
    }
    if (channel.length === 0) {
      throw kilnError(E_SEND, "Channel name must not be empty");
    }
    if (channel.length > MAX_CHANNEL_LENGTH) {
      throw kilnError(E_SEND, "Channel name is " + channel.length + " characters long; the limit is "
        + MAX_CHANNEL_LENGTH);
    }
    for (var i = 0; i < channel.length; i++) {
      var c = channel.charCodeAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        throw kilnError(E_SEND, "Channel name must not contain control characters (U+"
          + ("000" + c.toString(16).toUpperCase()).slice(-4) + " at index " + i + ")");
      }
    }
  }

  // The payload rules (Kiln's docs/payloads.md): JSON.stringify's (toJSON honoured, an undefined
  // property left out, undefined in an array written as null), except that what JSON would silently
  // drop or corrupt is refused, naming where it sits. The host's decoder accepts all that passes here.
  var MAX_DEPTH = @MAX_PAYLOAD_DEPTH@;
  var REFUSED_OBJECTS = {
    "[object Map]": "a Map", "[object Set]": "a Set", "[object WeakMap]": "a WeakMap",
    "[object WeakSet]": "a WeakSet", "[object Promise]": "a Promise"
  };
  var objectTag = Object.prototype.toString;
  var IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  function refusePayload(path, what) {
    throw kilnError(E_SERIALIZATION, "Payload cannot be serialized to JSON: " + path + " is " + what);
  }

  // A replacer for one JSON.stringify call. JSON.stringify calls it depth first with `this` set to
  // the object whose property it writes, so the path to the value is the chain of those objects.
  function payloadChecker() {
    var holders = []; // the objects from the payload down to the one being written
    var keys = []; // keys[i] is where holders[i] sits in holders[i - 1]

    function step(parent, key) {
      if (Array.isArray(parent)) return "[" + key + "]";
      return IDENTIFIER.test(key) ? "." + key : "[" + JSON.stringify(key) + "]";
    }

    function path(holder, key) {
      if (holders.length === 0) return "the payload";
      var p = "payload";
      for (var i = 1; i < holders.length; i++) p += step(holders[i - 1], keys[i]);
      return p + step(holder, key);
    }

    return function replacer(key, value) {
      while (holders.length > 0 && holders[holders.length - 1] !== this) {
        holders.pop();
        keys.pop();
      }
      var t = typeof value;
      if (t === "function" || t === "symbol" || t === "bigint") {
        refusePayload(path(this, key), "a " + t);
      }
      if (t === "number" && !isFinite(value)) {
        refusePayload(path(this, key), String(value) + ", which JSON cannot represent");
      }
      if (t !== "object" || value === null) return value;
      var tag = objectTag.call(value);
      if (REFUSED_OBJECTS[tag]) {
        refusePayload(path(this, key), REFUSED_OBJECTS[tag] + ", which JSON would write as {}");
      }
      if (ArrayBuffer.isView(value) || tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") {
        refusePayload(path(this, key), "binary data (" + tag.slice(8, -1) + "); binary payloads are not supported yet");
      }
      if (tag === "[object Number]" && !isFinite(value)) {
        refusePayload(path(this, key), String(Number(value)) + ", which JSON cannot represent");
      }
      if (holders.indexOf(value) >= 0) {
        refusePayload(path(this, key), "a cycle: it contains itself");
      }
      if (holders.length >= MAX_DEPTH) {
        refusePayload(path(this, key), "nested deeper than " + MAX_DEPTH + " levels");
      }
      holders.push(value);
      keys.push(key);
      return value;
    };
  }

  // Whether JSON.stringify writes v exactly as it is, so that the checker can be skipped (the
  // common case, and JSON.stringify's fast path): null, booleans, strings, finite numbers, and
  // arrays and plain objects of those, up to 32 levels. Anything else goes through the checker.
  function plainData(v, depth) {
    switch (typeof v) {
      case "string":
      case "boolean":
        return true;
      case "number":
        return isFinite(v);
      case "object":
        if (v === null) return true;
        if (depth >= 32 || typeof v.toJSON === "function") return false;
        if (Array.isArray(v)) {
          for (var i = 0; i < v.length; i++) if (!plainData(v[i], depth + 1)) return false;
          return true;
        }
        var proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return false;
        for (var k in v) if (!plainData(v[k], depth + 1)) return false;
        return true;
      default:
        return false; // undefined, function, symbol, bigint: the checker applies JSON's rules or refuses
    }
  }

  // Counts as the host does (dev.kiln.ipc.PayloadCodec.utf8Length): a lone surrogate as 3 bytes.
  function utf8Length(s, limit) {
    if (s.length * 3 <= limit) return s.length; // cannot exceed the limit
    var n = 0;
    for (var i = 0; i < s.length && n <= limit; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length
        && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }

  // The payload as JSON text; a payload that JSON writes as nothing (a toJSON returning undefined) is null.
  function serialize(payload) {
    var json;
    try {
      json = plainData(payload, 0) ? JSON.stringify(payload) : JSON.stringify(payload, payloadChecker());
    } catch (e) {
      if (e && e.code === E_SERIALIZATION) throw e;
      throw kilnError(E_SERIALIZATION, "Payload cannot be serialized to JSON: " + (e && e.message ? e.message : e));
    }
    if (json === undefined) return "null";
    var size = utf8Length(json, MAX_PAYLOAD_BYTES);
    if (size > MAX_PAYLOAD_BYTES) {
      // the count stops just past the limit: name the size in characters, which is known for free
      throw kilnError(E_SERIALIZATION, "Payload exceeds the limit of " + MAX_PAYLOAD_BYTES
        + " bytes (JSON text of " + json.length + " characters)");
    }
    return json;
  }

  // A burst of sends in one task becomes one upcall, flushed from a microtask.
  var outbox = [];
  var flushScheduled = false;

  function flush() {
    flushScheduled = false;
    if (outbox.length === 0) return;
    var text = "[" + outbox.join(",") + "]";
    outbox = [];
    host.post(text);
  }

  flushAfterDelivery = flush;

  var runtime = {
    send: function (channel, payload) {
      checkChannel(channel);
      if (RESERVED.indexOf(channel) >= 0) {
        throw kilnError(E_DENIED, "Channel '" + channel + "' is reserved for window system events");
      }
      var message = MSG_START + JSON.stringify(channel);
      if (payload !== undefined) {
        message += MSG_PAYLOAD + serialize(payload);
      }
      outbox.push(message + "}");
      if (unloading) {
        flush(); // no microtask may run after the page's pagehide/beforeunload handlers: send now
      } else if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flush);
      }
    },
    on: function (channel, callback) {
      checkChannel(channel);
      if (typeof callback !== "function") {
        throw new TypeError("window.runtime.on: the callback must be a function, got " + describe(callback));
      }
      var list = listeners.get(channel);
      if (!list) {
        list = [];
        listeners.set(channel, list);
        if (!replaying.has(channel) && held.some(function (h) { return h.c === channel; })) {
          replaying.add(channel);
          queueMicrotask(function () { replay(channel); });
        }
      }
      list.push(callback);
      var subscribed = true;
      return function unsubscribe() {
        if (subscribed) {
          subscribed = false;
          runtime.off(channel, callback);
        }
      };
    },
    off: function (channel, callback) {
      var list = listeners.get(channel);
      if (!list) return;
      var i = list.indexOf(callback);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) listeners.delete(channel);
    }
  };
  Object.freeze(runtime);
  Object.defineProperty(window, "runtime", { value: runtime, writable: false, configurable: false, enumerable: true });

  // The document is going away (navigation, reload): the host holds deliveries for the next one.
  // Registered first, so the page's own pagehide listeners can still send (host.post) after it.
  var unloading = false;
  window.addEventListener("beforeunload", function () { unloading = true; }, true);
  window.addEventListener("pagehide", function () {
    unloading = true;
    flush();
    try { host.leaving(); } catch (ignored) { }
  }, true);

  // Ready once the document's scripts (inline, deferred, module) have run and registered their listeners.
  function signalReady() {
    host.ready();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", signalReady, { once: true });
  } else {
    signalReady();
  }
})();
