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
  var RESERVED = @RESERVED_CHANNELS@;
  var E_SEND = @E_CHANNEL_SEND@;
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

  // The payload rules (Kiln's docs/payloads.md), the script host's too: kiln-ipc's payload-check.js,
  // which BridgeProtocol inlines here. payloadJson(payload) is the JSON text, or undefined for none;
  // it throws a coded Error (7003) naming where a value JSON would drop or corrupt sits.
  var payloadJson = @PAYLOAD_CHECK@;

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
        var json = payloadJson(payload);
        message += MSG_PAYLOAD + (json === undefined ? "null" : json); // a toJSON() that gave undefined
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
