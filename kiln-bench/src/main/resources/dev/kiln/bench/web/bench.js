// The bench page: the same logic for every host, talking through window.runtime only
// (Kiln's bridge, or the hand-written baseline's). Messages carry sequence numbers; every
// handler checks them and reports the first loss or reordering to the host.
(function () {
  "use strict";
  var rt = window.runtime;

  // 50 bytes of JSON text, like the host's: {"s":<seq>,"d":"xxx..."}
  var pads = [];
  for (var digits = 1; digits <= 10; digits++) pads[digits] = "x".repeat(Math.max(0, 37 - digits));
  function small(i) { return { s: i, d: pads[String(i).length] }; }

  // Yield to the event loop (without the 4 ms clamp of nested timers).
  var yieldQueue = [];
  var mc = new MessageChannel();
  mc.port1.onmessage = function () { yieldQueue.shift()(); };
  function yieldThen(f) { yieldQueue.push(f); mc.port2.postMessage(0); }

  // Host to renderer: count and check the sequence; confirm once the last one arrived.
  var h2r = { n: 0, expected: 0, received: 0, error: null };
  rt.on("h2r-start", function (p) { h2r = { n: p.n, expected: 0, received: 0, error: null }; });
  rt.on("h2r", function (p) {
    h2r.received++;
    if (p.s !== h2r.expected && h2r.error === null) h2r.error = "expected " + h2r.expected + ", got " + p.s;
    h2r.expected = p.s + 1;
    if (p.s === h2r.n - 1) rt.send("h2r-done", { received: h2r.received, error: h2r.error });
  });

  // Renderer to host: send n numbered messages, 10,000 per task. Large chunks because WebKit in
  // JavaFX runs the next task (MessageChannel, setTimeout 0) only at the next pulse, ~16 ms later.
  rt.on("r2h-start", function (p) {
    var n = p.n, i = 0;
    function chunk() {
      var end = Math.min(n, i + 10000);
      for (; i < end; i++) rt.send("r2h", small(i));
      if (i < n) yieldThen(chunk);
    }
    chunk();
  });

  // Round trip: ping -> host replies pong -> next ping; the host times consecutive pings.
  var rtrip = { n: 0, expected: 0 };
  rt.on("rt-start", function (p) {
    rtrip = { n: p.n, expected: 0 };
    rt.send("ping", { s: 0 });
  });
  rt.on("pong", function (p) {
    if (p.s !== rtrip.expected) {
      rt.send("rt-error", { error: "expected pong " + rtrip.expected + ", got " + p.s });
      return;
    }
    rtrip.expected++;
    if (p.s < rtrip.n) rt.send("ping", { s: p.s + 1 });
  });

  // Calls (invoke/handle; hosts without them never start these). Renderer to host: the page makes
  // n invokes one after the other, each as soon as the previous one resolved, and checks each
  // result. The host times consecutive calls where they arrive: at its handler, or (marks: true,
  // for a host whose own clock is too coarse) at an "inv-mark" message sent right after each invoke,
  // in the same batch, which the bench's Java clock stamps as the engine receives it.
  rt.on("inv-start", function (p) {
    var n = p.n, marks = p.marks, s = 0;
    function fail(why) { rt.send("inv-done", { calls: s, error: why }); }
    function next() {
      if (s === n) {
        rt.send("inv-done", { calls: s, error: null });
        return;
      }
      var mine = s++;
      rt.invoke("inv", { s: mine }).then(function (r) {
        if (r === null || typeof r !== "object" || r.s !== mine) fail("call " + mine + " got " + JSON.stringify(r));
        else next();
      }, function (e) { fail("call " + mine + " failed: " + (e && e.message ? e.message : String(e))); });
      if (marks) rt.send("inv-mark", { s: mine });
    }
    next();
  });

  // Host to renderer: the host's invokeWindow calls, answered at once; the sequence is checked here
  // and a wrong one answered with an error, which fails the host's call. With marks: true the page
  // stamps each call for the bench's Java clock with an "hinv-mark" message, which goes out in the
  // same batch as (just before) the answer.
  var hinv = { expected: 0, marks: false };
  rt.on("hinv-start", function (p) { hinv = { expected: 0, marks: p.marks }; });
  if (typeof rt.handle === "function") { // the baseline's bridge has no calls
    rt.handle("hinv", function (p) {
      if (p.s !== hinv.expected) throw new rt.IpcError("bench-order", "expected call " + hinv.expected + ", got " + p.s);
      hinv.expected++;
      if (hinv.marks) rt.send("hinv-mark", { s: p.s });
      return { s: p.s };
    });
  }

  // Large payloads, host to renderer: acknowledge with the length that arrived.
  rt.on("big-h2r", function (p) { rt.send("big-ack", { s: p.s, len: p.d.length }); });

  // Large payloads, renderer to host: build the text first, send it on "go".
  var prepared = "";
  rt.on("big-prep", function (p) { prepared = "x".repeat(p.bytes); rt.send("big-prepped", { bytes: p.bytes }); });
  rt.on("big-r2h-go", function (p) { rt.send("big-r2h", { s: p.s, d: prepared }); });

  // Binary payloads and streams (hosts without them never start these). Every answer goes to
  // "bin-ack" with the byte count and an error (null when the bytes were right). A binary payload's
  // byte k is k & 255, a stream chunk k is all k & 255, as the host made them.
  function binaryError(b, len) {
    if (!(b instanceof Uint8Array)) return "not a Uint8Array: " + Object.prototype.toString.call(b);
    if (b.length !== len) return "expected " + len + " bytes, got " + b.length;
    if (b[0] !== 0 || b[len - 1] !== ((len - 1) & 255)) return "wrong bytes";
    return null;
  }
  rt.on("bin-h2r", function (p) {
    rt.send("bin-ack", { len: p.b && p.b.length, error: binaryError(p.b, p.b && p.b.length) });
  });
  var preparedBytes = null;
  rt.on("bin-prep", function (p) {
    preparedBytes = new Uint8Array(p.bytes);
    for (var i = 0; i < p.bytes; i++) preparedBytes[i] = i & 255;
    rt.send("bin-ack", { len: p.bytes, error: null });
  });
  rt.on("bin-r2h-go", function () { rt.send("bin-r2h", { b: preparedBytes }); });
  rt.on("bin-stream-go", async function (p) {
    var chunks = 0, bytes = 0, error = null;
    try {
      for await (var c of rt.stream("bin-stream", { chunks: p.chunks }, { highWaterMark: 4 })) {
        var want = chunks & 255;
        if (error === null && (!(c instanceof Uint8Array) || c.length !== p.chunk || c[0] !== want || c[c.length - 1] !== want)) {
          error = "chunk " + chunks + " arrived damaged";
        }
        chunks++;
        bytes += c.length;
        if (p.delayMs > 0) await new Promise(function (r) { setTimeout(r, p.delayMs); });
      }
    } catch (e) {
      error = "stream failed: " + (e && e.message ? e.message : String(e));
    }
    rt.send("bin-ack", { chunks: chunks, bytes: bytes, error: error });
  });
  // The ceiling: the same number of static bytes fetched from the app's own loopback server.
  rt.on("bin-fetch-go", function (p) {
    fetch(p.url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.arrayBuffer();
    }).then(function (buf) {
      rt.send("bin-ack", { len: buf.byteLength, error: binaryError(new Uint8Array(buf), buf.byteLength) });
    }, function (e) { rt.send("bin-ack", { len: 0, error: "fetch failed: " + e.message }); });
  });

  rt.send("page-ready", { href: location.href });
})();
