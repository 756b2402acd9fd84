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
  var KIND_KEY = @KIND_KEY@;
  var CALL_KEY = @CALL_KEY@;
  var DEADLINE_KEY = @DEADLINE_KEY@;
  var CREDIT_KEY = @CREDIT_KEY@;
  var ATTACHMENTS_KEY = @ATTACHMENTS_KEY@;
  var BLOB_PREFIX = @BLOB_PREFIX@;
  var BLOB_HEADER = @BLOB_HEADER@;
  var FETCH_FROM_BYTES = @FETCH_FROM_BYTES@;
  var UPLOAD_PIECE_BYTES = @UPLOAD_PIECE_BYTES@;
  var UPLOADS_AT_ONCE = 4;
  var K_INVOKE = @K_INVOKE@, K_RESULT = @K_RESULT@, K_ERROR = @K_ERROR@, K_CANCEL = @K_CANCEL@;
  var K_STREAM = @K_STREAM@, K_ITEM = @K_ITEM@, K_END = @K_END@, K_CREDIT = @K_CREDIT@;
  var DEFAULT_HIGH_WATER_MARK = @DEFAULT_HIGH_WATER_MARK@;
  var NO_HANDLER_GRACE_MS = @NO_HANDLER_GRACE_MS@;
  var E_SEND = @E_CHANNEL_SEND@;
  var E_DENIED = @E_PERMISSION_DENIED@;
  var E_SERIALIZATION = @E_SERIALIZATION@;
  var E_NO_HANDLER = @E_NO_HANDLER@;
  var E_TIMEOUT = @E_TIMEOUT@;
  var E_CANCELLED = @E_CANCELLED@;
  var E_HANDLER_FAILED = @E_HANDLER_FAILED@;
  var E_RECV = @E_CHANNEL_RECV@;
  var E_BINARY_TOO_LARGE = @E_BINARY_TOO_LARGE@;
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
        batch = parsePayload(text);
      } catch (e) {
        return false;
      }
      callReactionsQueued = false;
      try {
        dispatch(batch);
      } finally {
        if (callReactionsQueued) runMicrotasks();
        if (flushAfterDelivery) flushAfterDelivery();
      }
      return true;
    },
    // The host calls this after running a script of its own in the page (Automation.evaluate).
    flush: function () {
      if (flushAfterDelivery) flushAfterDelivery();
    }
  };

  // A call step that settles a promise (an answer to the page's invoke: its caller's continuation
  // waits), starts a handler that answers with one (async handlers) or aborts a handler's signal
  // leaves promise reactions to run. They are microtasks, which WebKit runs after a call from Java
  // only at its next task, often a frame (~16 ms) later. A DOM event's listener is run by WebCore,
  // which performs a microtask checkpoint when it returns to no script: dispatching one at the end of
  // such a delivery runs them now, before the delivery's flush sends what they queued. The event is
  // made once (an event may be dispatched again once its dispatch ended), before any page script
  // could replace the constructors.
  var callReactionsQueued = false;
  var checkpoint = new EventTarget();
  var checkpointEvent = new Event("kiln-microtasks");
  checkpoint.addEventListener("kiln-microtasks", function () { });
  function runMicrotasks() {
    try {
      checkpoint.dispatchEvent(checkpointEvent);
    } catch (e) {
      reportError("running the page's microtasks after a call step failed", e); // they still run at WebKit's next task
    }
  }

  function dispatch(batch) {
    for (var i = 0; i < batch.length; i++) {
      var m = batch[i];
      if (m[ATTACHMENTS_KEY] !== undefined) {
        var entry = { m: m, ready: false, failure: null };
        arriving.push(entry);
        fetchAttachments(entry);
      } else if (arriving.length > 0) {
        arriving.push({ m: m, ready: true, failure: null }); // behind a binary still coming: order is kept
      } else {
        dispatchOne(m);
      }
    }
  }

  function dispatchOne(m) {
    var kind = m[KIND_KEY];
    if (kind !== undefined) {
      callStep(kind, m);
      return;
    }
    var channel = m[CHANNEL_KEY];
    if (!listeners.has(channel) || replaying.has(channel)) {
      hold(channel, m[PAYLOAD_KEY]);
    } else {
      callListeners(channel, m[PAYLOAD_KEY]);
    }
  }

  // ---- Large binaries host to page (docs/payloads.md). A message whose payload has binaries the
  // host kept out of its text comes with their one-time tokens; the bridge fetches them all at once
  // (each URL serves once and expires), puts each in its marker's place, and only then delivers the
  // message. Messages after it wait in `arriving`, so the page sees them in order. The window key the
  // requests need lives only here, in this closure; the functions that send them are taken before any
  // page script runs, so a page script that replaces fetch or XMLHttpRequest never sees the key.
  var arriving = [];  // [{ m, ready, failure }] in arrival order
  var blobKey = null; // asked once the bridge is granted
  var realFetch = window.fetch;
  var RealXHR = window.XMLHttpRequest;
  var xhrOpen = RealXHR.prototype.open;
  var xhrSetHeader = RealXHR.prototype.setRequestHeader;
  var xhrSend = RealXHR.prototype.send;

  function fetchAttachments(entry) {
    var m = entry.m;
    var tokens = m[ATTACHMENTS_KEY];
    var refs = [];
    findAttachments(m, PAYLOAD_KEY, refs, 0);
    var loads = [];
    for (var i = 0; i < tokens.length; i++) loads.push(null);
    for (var r = 0; r < refs.length; r++) {
      var ref = refs[r];
      var index = ref.marker.a;
      if (!(index >= 0 && index < tokens.length) || loads[index] !== null) {
        loads = null;
        break;
      }
      loads[index] = blobRequest("GET", tokens[index], ref.marker.n, null);
    }
    var all = loads === null || loads.indexOf(null) >= 0
      ? Promise.reject(kilnError(E_RECV, "A message's binary markers (" + refs.length + ") do not match its "
        + tokens.length + " attachments"))
      : Promise.all(loads);
    all.then(function (buffers) {
      for (var k = 0; k < refs.length; k++) {
        refs[k].holder[refs[k].key] = payloadCodec.typed(refs[k].marker[BINARY_KEY], buffers[refs[k].marker.a]);
      }
    }).catch(function (e) {
      entry.failure = e;
    }).then(function () {
      entry.ready = true;
      deliverArrived();
    });
  }

  // The attachment markers in holder[key], with where each sits.
  var BINARY_KEY = "\u0000kiln";
  function findAttachments(holder, key, refs, depth) {
    var v = holder[key];
    if (v === null || typeof v !== "object" || depth > 600) return;
    if (typeof v[BINARY_KEY] === "string" && typeof v.a === "number") {
      refs.push({ holder: holder, key: key, marker: v });
      return;
    }
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return;
    var keys = Object.keys(v);
    for (var i = 0; i < keys.length; i++) findAttachments(v, keys[i], refs, depth + 1);
  }

  // Delivers, in order, the messages whose binaries are all here.
  function deliverArrived() {
    while (arriving.length > 0 && arriving[0].ready) {
      var entry = arriving.shift();
      if (entry.failure === null) {
        dispatchOne(entry.m);
      } else {
        arrivalFailed(entry.m, entry.failure);
      }
    }
  }

  // A message whose binary could not be fetched is not delivered; whoever waits for it hears why.
  function arrivalFailed(m, e) {
    var kind = m[KIND_KEY];
    var error = e && e.code !== undefined ? e : kilnError(E_RECV, "A binary could not be fetched: " + String(e && e.message || e));
    var text = "A message on channel '" + m[CHANNEL_KEY] + "' was not delivered: " + error.message;
    if (kind === K_INVOKE) { // the host's call fails with the code
      queueOut(step(K_ERROR, m[CHANNEL_KEY], m[CALL_KEY], payloadJson({ code: error.code, message: text })));
    } else if (kind === K_RESULT || kind === K_ITEM) { // the page's call, or stream, fails with it
      var failed = {};
      failed[CHANNEL_KEY] = m[CHANNEL_KEY];
      failed[CALL_KEY] = m[CALL_KEY];
      failed[PAYLOAD_KEY] = { code: error.code, message: text };
      callStep(K_ERROR, failed);
    }
    try { console.error("[" + error.code + "] Kiln: " + text); } catch (ignored) { }
    reportError("binary", "[" + error.code + "] " + text);
  }

  // A one-time binary request with the window key: GET resolves with an ArrayBuffer, POST with nothing.
  function blobRequest(method, token, size, body) {
    var url = BLOB_PREFIX + token;
    if (method === "GET" && size >= FETCH_FROM_BYTES) {
      var headers = {};
      headers[BLOB_HEADER] = blobKey;
      return realFetch.call(window, url, { method: "GET", headers: headers, cache: "no-store", credentials: "same-origin" })
        .then(function (response) {
          if (response.status !== 200) throw kilnError(E_RECV, "Fetching a binary of " + size + " bytes failed: HTTP " + response.status);
          return response.arrayBuffer();
        });
    }
    return new Promise(function (resolve, reject) {
      var x = new RealXHR();
      xhrOpen.call(x, method, url);
      if (method === "GET") x.responseType = "arraybuffer";
      xhrSetHeader.call(x, BLOB_HEADER, blobKey);
      x.onload = function () {
        if (x.status === (method === "GET" ? 200 : 204)) {
          resolve(method === "GET" ? x.response : undefined);
        } else {
          var said = method === "POST" && typeof x.responseText === "string" ? x.responseText : "";
          var code = /^\[(\d+)\]/.exec(said);
          reject(kilnError(code ? Number(code[1]) : E_RECV, (method === "GET" ? "Fetching" : "Uploading") + " a binary of "
            + size + " bytes failed: HTTP " + x.status + (said ? " (" + said.replace(/^\[\d+\] /, "") + ")" : "")));
        }
      };
      x.onerror = function () {
        reject(kilnError(E_RECV, (method === "GET" ? "Fetching" : "Uploading") + " a binary of " + size + " bytes failed: network error"));
      };
      xhrSend.call(x, body);
    });
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
    var n = payload === undefined ? 4 : sizeOf(payload);
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

  // About the payload's size as the host sent it: UTF-8 JSON, binary values by their bytes. Only paid
  // for held messages.
  function sizeOf(payload) {
    var binaryBytes = 0;
    var json = JSON.stringify(payload, function (key, value) {
      if (value !== null && typeof value === "object" && (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)) {
        binaryBytes += value.byteLength;
        return 0;
      }
      return value;
    });
    return encoder.encode(json).length + binaryBytes;
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
  blobKey = host.blobKey();

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

  // Every error window.runtime gives (its own, a host handler's) is an IpcError: code, message, data.
  class IpcError extends Error {
    constructor(code, message, data) {
      super(message);
      this.code = code;
      if (data !== undefined) this.data = data;
    }
  }

  function kilnError(code, message) {
    return new IpcError(code, "[" + code + "] " + message);
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

  // A channel the page may send, call or stream on: a valid name, and not one of the window system events'.
  function checkRequest(channel) {
    checkChannel(channel);
    if (RESERVED.indexOf(channel) >= 0) {
      throw kilnError(E_DENIED, "Channel '" + channel + "' is reserved for window system events");
    }
  }

  // The payload rules (Kiln's docs/payloads.md), the script host's too: kiln-ipc's payload-check.js,
  // which BridgeProtocol inlines here. payloadJson(payload) is the JSON text, or undefined for none;
  // it throws a coded Error (7003) naming where a value JSON would drop or corrupt sits.
  var payloadCodec = @PAYLOAD_CHECK@;
  var payloadJson = payloadCodec.json;
  var parsePayload = payloadCodec.parse; // JSON.parse, with binary values back as themselves

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

  // ---- Large binaries page to host (docs/payloads.md). payloadJson(payload, uploader(list)) asks the
  // host for an upload slot per large binary (a synchronous call: the token is in the text at once)
  // and lists the bytes; queueOut then posts them, and holds the message, and every message after it,
  // in `departing` until they are up. A refused upload refuses its message loudly (code, console,
  // host log) and nothing else.
  var departing = []; // [{ text, ready, failure, onFailed }] in send order

  function uploader(list) {
    return function (bytes) {
      var token = host.upload(bytes.length);
      if (typeof token !== "string" || token.charAt(0) === "[") {
        var said = String(token);
        var code = /^\[(\d+)\]/.exec(said);
        throw new IpcError(code ? Number(code[1]) : E_SEND, said);
      }
      list.push({ token: token, bytes: bytes.slice() }); // a copy: the app may change its buffer once send() returned
      return token;
    };
  }

  // What happens to a message whose upload failed, by default (a send): it is reported.
  function reportUploadFailed(e, text) {
    try { console.error("[" + e.code + "] Kiln: " + text); } catch (ignored) { }
    reportError("binary", "[" + e.code + "] " + text);
  }

  function sendUploaded() {
    while (departing.length > 0 && departing[0].ready) {
      var entry = departing.shift();
      if (entry.failure === null) {
        outbox.push(entry.text);
      } else {
        var e = entry.failure && entry.failure.code !== undefined ? entry.failure
          : kilnError(E_RECV, "Uploading a binary failed: " + String(entry.failure));
        var text = "A message was not sent: " + e.message.replace(/^\[\d+\] /, "");
        (entry.onFailed || reportUploadFailed)(new IpcError(e.code, "[" + e.code + "] " + text), text);
      }
    }
    if (outbox.length > 0 && !flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  }

  // One binary's upload: a piece of UPLOAD_PIECE_BYTES per token (the host made a slot for each),
  // UPLOADS_AT_ONCE at a time. Rejects with the first failure.
  function uploadPieces(tokenList, bytes) {
    var tokens = tokenList.split(",");
    var next = 0;
    var running = 0;
    var failed = false;
    return new Promise(function (resolve, reject) {
      function pump() {
        if (failed) return;
        if (next >= tokens.length && running === 0) {
          resolve();
          return;
        }
        while (running < UPLOADS_AT_ONCE && next < tokens.length) {
          var i = next++;
          var piece = bytes.subarray(i * UPLOAD_PIECE_BYTES, Math.min(bytes.length, (i + 1) * UPLOAD_PIECE_BYTES));
          running++;
          blobRequest("POST", tokens[i], bytes.length, piece).then(function () {
            running--;
            pump();
          }, function (e) {
            failed = true;
            reject(e);
          });
        }
      }
      pump();
    });
  }

  // Queues a message for the host; with uploads, it goes once they are up (onFailed hears if not).
  function queueOut(message, uploads, onFailed) {
    var uploading = uploads !== undefined && uploads.length > 0;
    if (uploading || departing.length > 0) {
      var entry = { text: message, ready: !uploading, failure: null, onFailed: onFailed };
      departing.push(entry);
      if (uploading) {
        var posts = [];
        for (var i = 0; i < uploads.length; i++) posts.push(uploadPieces(uploads[i].token, uploads[i].bytes));
        uploads.length = 0; // the bytes go with the requests
        Promise.all(posts).catch(function (e) { entry.failure = e; }).then(function () {
          entry.ready = true;
          sendUploaded();
        });
      }
      return;
    }
    outbox.push(message);
    if (unloading) {
      flush(); // no microtask may run after the page's pagehide/beforeunload handlers: send now
    } else if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  }

  // ---- Calls (invoke/handle), both ways. The wire: a message object with a kind, a call id and a deadline.
  // This document's call ids start with a random prefix, so an answer meant for an earlier document
  // of this window can never settle a call of this one.
  var idBytes = new Uint8Array(8);
  crypto.getRandomValues(idBytes);
  var callPrefix = Array.prototype.map.call(idBytes, function (b) { return (b + 256).toString(16).slice(1); }).join("") + ":";
  var nextCall = 1;
  var calls = new Map();      // this page's calls waiting for the host: id -> { channel, resolve, reject, done }
  var handlers = new Map();   // channel -> this page's handler for host calls
  var working = new Map();    // host call id -> AbortController of the handler working on it
  var parked = new Map();     // channel -> host calls waiting for a handler: [{ m, timer }]

  // The wire text of a call or stream step; json is the payload's JSON text, or undefined for none.
  // The parts that do not change are made once: a call's text is built on every round trip.
  var STEP_MIDDLE = {}; // kind -> ,"k":"<kind>","i":
  [K_INVOKE, K_RESULT, K_ERROR, K_CANCEL, K_STREAM, K_ITEM, K_END, K_CREDIT].forEach(function (k) {
    STEP_MIDDLE[k] = "," + JSON.stringify(KIND_KEY) + ":" + JSON.stringify(k) + "," + JSON.stringify(CALL_KEY) + ":";
  });
  var STEP_DEADLINE = "," + JSON.stringify(DEADLINE_KEY) + ":";
  var STEP_CREDIT = "," + JSON.stringify(CREDIT_KEY) + ":";
  function step(kind, channel, id, json, deadline, credit) {
    var text = MSG_START + JSON.stringify(channel) + STEP_MIDDLE[kind] + JSON.stringify(id);
    if (deadline !== undefined) text += STEP_DEADLINE + deadline;
    if (credit !== undefined) text += STEP_CREDIT + credit;
    return (json === undefined ? text : text + MSG_PAYLOAD + json) + "}";
  }

  function describeError(e, channel) {
    if (e !== null && typeof e === "object" && (typeof e.code === "string" || typeof e.code === "number")) {
      var out = { code: e.code, message: String(e.message === undefined ? "" : e.message) };
      if (e.data !== undefined) out.data = e.data;
      return out;
    }
    var text = e instanceof Error ? e.message : String(e);
    // A bug, not an answer: the caller gets the message, the page's console the error and its stack.
    try { console.error("The handler for channel '" + channel + "' failed:", e); } catch (ignored) { }
    return { code: E_HANDLER_FAILED, message: "[" + E_HANDLER_FAILED + "] The handler for channel '" + channel + "' failed: " + text };
  }

  function errorJson(e, channel) {
    var d = describeError(e, channel);
    try {
      return payloadJson(d);
    } catch (bad) { // data that cannot cross: the caller still learns what failed
      return payloadJson({ code: d.code, message: d.message + " (its data could not be sent: " + bad.message + ")" });
    }
  }

  function callStep(kind, m) {
    var id = m[CALL_KEY];
    if (kind === K_ITEM || kind === K_END || (kind === K_ERROR && readers.has(id))) {
      var reader = readers.get(id);
      if (reader) {
        callReactionsQueued = true; // a waiting next() resolves
        reader.arrived(kind, m[PAYLOAD_KEY]);
      }
      return;
    }
    if (kind === K_STREAM) {
      callReactionsQueued = true; // the producer is pulled through promises
      hostStream(m);
      return;
    }
    if (kind === K_CREDIT) {
      var production = productions.get(id);
      if (production) {
        callReactionsQueued = true;
        production.credit(m[CREDIT_KEY]);
      }
      return;
    }
    if (kind === K_CANCEL && productions.has(id)) {
      callReactionsQueued = true;
      productions.get(id).stop(m[PAYLOAD_KEY]);
      return;
    }
    if (kind === K_RESULT || kind === K_ERROR) {
      var call = calls.get(id);
      if (!call) return; // cancelled or timed out meanwhile
      var p = m[PAYLOAD_KEY];
      call.done();
      callReactionsQueued = true;
      if (kind === K_RESULT) {
        call.resolve(p);
      } else {
        call.reject(p !== null && typeof p === "object" ? new IpcError(p.code, p.message, p.data)
          : kilnError(E_HANDLER_FAILED, "The handler for channel '" + call.channel + "' failed with a malformed error"));
      }
    } else if (kind === K_INVOKE) {
      hostCall(m);
    } else if (kind === K_CANCEL) {
      var p2 = m[PAYLOAD_KEY];
      var reason = p2 !== null && typeof p2 === "object" ? new IpcError(p2.code, p2.message) : kilnError(E_CANCELLED, "Cancelled");
      var controller = working.get(id);
      if (controller) {
        working.delete(id);
        callReactionsQueued = true;
        controller.abort(reason);
      }
      unpark(m[CHANNEL_KEY], id);
    }
  }

  function unpark(channel, id) {
    var list = parked.get(channel);
    if (!list) return;
    for (var i = 0; i < list.length; i++) {
      if (list[i].m[CALL_KEY] === id) {
        clearTimeout(list[i].timer);
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) parked.delete(channel);
  }

  // A call or stream request from the host. It waits up to NO_HANDLER_GRACE_MS for a handler of its
  // channel, since pages (React's useEffect, say) register theirs after the document is ready.
  function hostCall(m) {
    var handler = handlers.get(m[CHANNEL_KEY]);
    if (handler) {
      runHandler(handler, m);
    } else {
      park(m, "handle");
    }
  }

  function hostStream(m) {
    var producer = producers.get(m[CHANNEL_KEY]);
    if (producer) {
      produce(producer, m);
    } else {
      park(m, "handleStream");
    }
  }

  function park(m, register) {
    var channel = m[CHANNEL_KEY];
    var entry = { m: m, timer: 0 };
    entry.timer = setTimeout(function () {
      unpark(channel, m[CALL_KEY]);
      queueOut(step(K_ERROR, channel, m[CALL_KEY], payloadJson({ code: E_NO_HANDLER, message: "[" + E_NO_HANDLER
        + "] No handler for channel '" + channel + "' in the page: register one with window.runtime." + register + "()" })));
    }, NO_HANDLER_GRACE_MS);
    var list = parked.get(channel);
    if (!list) parked.set(channel, list = []);
    list.push(entry);
  }

  /** Hands the parked requests of one kind for the channel to its new handler. */
  function unparkAll(channel, kind, run) {
    var list = parked.get(channel);
    if (!list) return;
    var mine = list.filter(function (entry) { return entry.m[KIND_KEY] === kind; });
    var rest = list.filter(function (entry) { return entry.m[KIND_KEY] !== kind; });
    if (rest.length === 0) parked.delete(channel); else parked.set(channel, rest);
    mine.forEach(function (entry) {
      clearTimeout(entry.timer);
      run(entry.m);
    });
  }

  function runHandler(handler, m) {
    var channel = m[CHANNEL_KEY];
    var id = m[CALL_KEY];
    var deadline = m[DEADLINE_KEY];
    if (deadline !== undefined && deadline <= Date.now()) return; // the host stopped waiting
    var controller = new AbortController();
    working.set(id, controller);
    var timer = 0;
    if (deadline !== undefined) {
      timer = setTimeout(function () {
        if (working.get(id) === controller) working.delete(id);
        controller.abort(kilnError(E_TIMEOUT, "The call on channel '" + channel + "' passed its deadline"));
      }, deadline - Date.now());
    }
    function answer(kind, json, uploads) {
      clearTimeout(timer);
      if (controller.signal.aborted || working.get(id) !== controller) return; // nobody waits any more
      working.delete(id);
      queueOut(step(kind, channel, id, json), uploads, function (e) {
        queueOut(step(K_ERROR, channel, id, payloadJson({ code: e.code, message: e.message })));
      });
    }
    function succeed(value) {
      var json;
      var uploads = [];
      try {
        json = value === undefined ? undefined : payloadJson(value, uploader(uploads));
      } catch (e) {
        answer(K_ERROR, errorJson(kilnError(E_SERIALIZATION, "The result of the handler for channel '" + channel
          + "' cannot be sent: " + e.message.replace(/^\[\d+\] /, "")), channel));
        return;
      }
      answer(K_RESULT, json, uploads);
    }
    function fail(e) {
      answer(K_ERROR, errorJson(e, channel));
    }
    var context = { signal: controller.signal };
    if (deadline !== undefined) context.deadline = deadline;
    var result;
    try {
      result = handler(m[PAYLOAD_KEY], context);
    } catch (e) {
      fail(e);
      return;
    }
    if (result !== null && (typeof result === "object" || typeof result === "function") && typeof result.then === "function") {
      callReactionsQueued = true;
      Promise.resolve(result).then(succeed, fail);
    } else {
      succeed(result); // answered now: it goes out with the delivery's flush, not a frame later
    }
  }

  function invoke(channel, payload, options) {
    checkRequest(channel);
    var timeout = options == null ? undefined : options.timeout;
    var signal = options == null ? undefined : options.signal;
    if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && timeout <= 2147483647)) {
      throw kilnError(E_SEND, "invoke(): the timeout must be a number of milliseconds above 0 and at most 2147483647, got " + String(timeout));
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw kilnError(E_SEND, "invoke(): the signal must be an AbortSignal");
    }
    if (signal && signal.aborted) {
      throw cancelled(channel, signal);
    }
    var uploads = [];
    var json = payload === undefined ? undefined : payloadJson(payload, uploader(uploads));
    var id = callPrefix + nextCall++;
    var deadline = timeout === undefined ? undefined : Date.now() + timeout;
    return new Promise(function (resolve, reject) {
      var timer = 0;
      function onAbort() {
        giveUp(cancelled(channel, signal));
      }
      function giveUp(error) {
        if (calls.get(id) !== call) return;
        call.done();
        queueOut(step(K_CANCEL, channel, id, payloadJson({ code: error.code, message: error.message })));
        reject(error);
      }
      var call = {
        channel: channel, resolve: resolve, reject: reject,
        done: function () {
          calls.delete(id);
          clearTimeout(timer);
          if (signal) signal.removeEventListener("abort", onAbort);
        }
      };
      calls.set(id, call);
      if (deadline !== undefined) {
        timer = setTimeout(function () {
          giveUp(kilnError(E_TIMEOUT, "The call on channel '" + channel + "' timed out after " + timeout + " ms"));
        }, timeout);
      }
      if (signal) signal.addEventListener("abort", onAbort);
      queueOut(step(K_INVOKE, channel, id, json, deadline), uploads, function (e) {
        if (calls.get(id) !== call) return;
        call.done();
        reject(e);
      });
    });
  }

  function cancelled(channel, signal) {
    var e = kilnError(E_CANCELLED, "The call on channel '" + channel + "' was cancelled");
    e.cause = signal.reason;
    return e;
  }

  function handle(channel, handler) {
    checkRequest(channel);
    if (typeof handler !== "function") {
      throw new TypeError("window.runtime.handle: the handler must be a function, got " + describe(handler));
    }
    if (handlers.has(channel)) {
      throw kilnError(E_SEND, "Channel '" + channel + "' already has a handler: call the function handle() returned before adding another");
    }
    handlers.set(channel, handler);
    unparkAll(channel, K_INVOKE, function (m) { runHandler(handler, m); });
    return function unhandle() {
      if (handlers.get(channel) === handler) handlers.delete(channel);
    };
  }

  // ---- Streams, both ways. Backpressure is credit: a reader says how many values it takes (its
  // highWaterMark, then what it consumed), and a producer sends no more than that.
  var readers = new Map();      // this page's streams: id -> reader
  var producers = new Map();    // channel -> this page's producer for host streams
  var productions = new Map();  // host stream id -> the production filling it



  // window.runtime.stream(): an async iterable of the values the host's producer makes.
  function stream(channel, payload, options) {
    checkRequest(channel);
    var highWaterMark = options == null || options.highWaterMark === undefined ? DEFAULT_HIGH_WATER_MARK : options.highWaterMark;
    var signal = options == null ? undefined : options.signal;
    if (!(typeof highWaterMark === "number" && highWaterMark >= 1 && highWaterMark <= 1e9 && Math.floor(highWaterMark) === highWaterMark)) {
      throw kilnError(E_SEND, "stream(): the highWaterMark must be a whole number from 1, got " + String(highWaterMark));
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw kilnError(E_SEND, "stream(): the signal must be an AbortSignal");
    }
    var json = payload === undefined ? undefined : payloadJson(payload);
    var id = callPrefix + nextCall++;
    var buffered = [];      // values that arrived, not yet taken
    var waiting = [];       // next() calls waiting for a value: [{ resolve, reject }]
    var ended = false;      // the producer ended (or the reader stopped): nothing more comes
    var failure = null;     // why it ended, if not normally
    var taken = 0;          // values taken since the last credit
    var refill = Math.max(1, Math.ceil(highWaterMark / 2));
    function settleWaiting() {
      while (waiting.length > 0 && (buffered.length > 0 || ended)) {
        var w = waiting.shift();
        if (buffered.length > 0) {
          take(w);
        } else if (failure) {
          w.reject(failure);
        } else {
          w.resolve({ value: undefined, done: true });
        }
      }
    }
    function take(w) {
      w.resolve({ value: buffered.shift(), done: false });
      if (ended) return;
      if (++taken >= refill) {
        queueOut(step(K_CREDIT, channel, id, undefined, undefined, taken));
        taken = 0;
      }
    }
    function stop(error) {
      if (ended) return;
      ended = true;
      failure = error;
      buffered.length = 0;
      readers.delete(id);
      if (signal) signal.removeEventListener("abort", onAbort);
      queueOut(step(K_CANCEL, channel, id, payloadJson({ code: error ? error.code : E_CANCELLED,
        message: error ? error.message : "[" + E_CANCELLED + "] The page stopped reading the stream on channel '" + channel + "'" })));
      settleWaiting();
    }
    function onAbort() {
      var e = kilnError(E_CANCELLED, "The stream on channel '" + channel + "' was cancelled");
      e.cause = signal.reason;
      stop(e);
    }
    readers.set(id, {
      arrived: function (kind, p) {
        if (ended) return;
        if (kind === K_ITEM) {
          buffered.push(p);
        } else {
          ended = true;
          readers.delete(id);
          if (signal) signal.removeEventListener("abort", onAbort);
          if (kind === K_ERROR) { // the values before it are still read first
            failure = p !== null && typeof p === "object" ? new IpcError(p.code, p.message, p.data)
              : kilnError(E_HANDLER_FAILED, "The producer for channel '" + channel + "' failed with a malformed error");
          }
        }
        settleWaiting();
      }
    });
    if (signal && signal.aborted) {
      readers.delete(id);
      throw kilnError(E_CANCELLED, "The stream on channel '" + channel + "' was cancelled");
    }
    if (signal) signal.addEventListener("abort", onAbort);
    queueOut(step(K_STREAM, channel, id, json, undefined, highWaterMark));
    var iterator = {
      next: function () {
        return new Promise(function (resolve, reject) {
          waiting.push({ resolve: resolve, reject: reject });
          settleWaiting();
        });
      },
      return: function (value) {
        stop(null);
        return Promise.resolve({ value: value, done: true });
      }
    };
    iterator[Symbol.asyncIterator] = function () { return iterator; };
    return iterator;
  }

  // window.runtime.handleStream(): fills the host's streams on the channel from an async iterable.
  function handleStream(channel, producer) {
    checkRequest(channel);
    if (typeof producer !== "function") {
      throw new TypeError("window.runtime.handleStream: the producer must be a function, got " + describe(producer));
    }
    if (producers.has(channel)) {
      throw kilnError(E_SEND, "Channel '" + channel + "' already has a stream producer: call the function handleStream() returned before adding another");
    }
    producers.set(channel, producer);
    unparkAll(channel, K_STREAM, function (m) { produce(producer, m); });
    return function unhandleStream() {
      if (producers.get(channel) === producer) producers.delete(channel);
    };
  }

  function produce(producer, m) {
    var channel = m[CHANNEL_KEY];
    var id = m[CALL_KEY];
    var credit = m[CREDIT_KEY] || 0;
    var controller = new AbortController();
    var iterator = null;
    var pumping = false;
    var done = false;
    function finish(kind, json) {
      if (done) return;
      done = true;
      productions.delete(id);
      queueOut(step(kind, channel, id, json));
    }
    function fail(e) {
      finish(K_ERROR, errorJson(e, channel));
      if (iterator && typeof iterator.return === "function") {
        try { Promise.resolve(iterator.return()).catch(function () { }); } catch (ignored) { }
      }
    }
    function pump() {
      if (pumping || done) return;
      pumping = true;
      (function next() {
        if (done || credit <= 0) {
          pumping = false;
          return;
        }
        credit--;
        var result;
        try {
          result = iterator.next();
        } catch (e) {
          pumping = false;
          fail(e);
          return;
        }
        Promise.resolve(result).then(function (r) {
          if (done) return;
          if (r.done) {
            finish(K_END, undefined);
            return;
          }
          var json;
          var uploads = [];
          try {
            json = r.value === undefined ? undefined : payloadJson(r.value, uploader(uploads));
          } catch (e) {
            fail(kilnError(E_SERIALIZATION, "A value of the stream on channel '" + channel + "' cannot be sent: "
              + e.message.replace(/^\[\d+\] /, "")));
            return;
          }
          queueOut(step(K_ITEM, channel, id, json), uploads, fail);
          next();
        }, function (e) {
          pumping = false;
          fail(e);
        });
      })();
    }
    productions.set(id, {
      credit: function (n) {
        credit += n;
        pump();
      },
      stop: function (p) {
        if (done) return;
        done = true;
        productions.delete(id);
        controller.abort(p !== null && typeof p === "object" ? new IpcError(p.code, p.message) : kilnError(E_CANCELLED, "Cancelled"));
        if (iterator && typeof iterator.return === "function") {
          try { Promise.resolve(iterator.return()).catch(function () { }); } catch (ignored) { }
        }
      }
    });
    try {
      var iterable = producer(m[PAYLOAD_KEY], { signal: controller.signal });
      var make = iterable == null ? undefined : iterable[Symbol.asyncIterator] || iterable[Symbol.iterator];
      if (typeof make !== "function") {
        throw new TypeError("The producer for channel '" + channel + "' returned no iterable (use an async generator function)");
      }
      iterator = make.call(iterable);
    } catch (e) {
      fail(e);
      return;
    }
    pump();
  }

  // A message to the host, checked (channel, payload) before anything is sent or called; the large
  // binaries it holds are added to uploads, to go before it (see queueOut).
  function outMessage(channel, payload, uploads) {
    checkRequest(channel);
    var message = MSG_START + JSON.stringify(channel);
    if (payload !== undefined) {
      var json = payloadJson(payload, uploader(uploads));
      message += MSG_PAYLOAD + (json === undefined ? "null" : json); // a toJSON() that gave undefined
    }
    return message + "}";
  }

  var runtime = {
    send: function (channel, payload) {
      var uploads = [];
      queueOut(outMessage(channel, payload, uploads), uploads);
    },
    // Calls the host's handler for the channel; resolves with its result. Argument errors reject too.
    invoke: function (channel, payload, options) {
      try {
        return invoke(channel, payload, options);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    handle: handle,
    // An async iterable of the host producer's values; `break` or the signal stops the producer.
    stream: function (channel, payload, options) {
      return stream(channel, payload, options);
    },
    handleStream: handleStream,
    IpcError: IpcError,
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

  // window.host: the name Forge's pages use. send/on/off are window.runtime's; emit also calls this
  // page's own listeners for the channel (with the payload object itself), then sends to the app.
  var forgeHost = Object.freeze({
    send: runtime.send,
    on: runtime.on,
    off: runtime.off,
    emit: function (channel, payload) {
      var uploads = [];
      var message = outMessage(channel, payload, uploads); // a bad channel or payload throws before any listener runs
      if (listeners.has(channel)) callListeners(channel, payload);
      queueOut(message, uploads);
    }
  });
  Object.defineProperty(window, "host", { value: forgeHost, writable: false, configurable: false, enumerable: true });

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
