// The hand-written baseline bridge: what a developer would write by hand on a bare WebView.
// Page to host: calls on one injected Java object (BaselineBridge), either one call per message
// ("naive") or one call per task's burst, flushed from a microtask ("batched").
// Host to page: executeScript per message (naive) or one JSObject call per drained batch (batched).
(function () {
  "use strict";
  alert("kiln-bench-baseline-inject"); // the host's alert handler injects window.__blJava now
  var java = window.__blJava;
  var listeners = new Map();
  var outbox = [];
  var flushScheduled = false;
  window.__blMode = "batched";

  function dispatch(c, p) {
    var list = listeners.get(c);
    if (!list) return;
    for (var j = 0; j < list.length; j++) list[j](p);
  }
  function flush() {
    flushScheduled = false;
    if (outbox.length === 0) return;
    var text = JSON.stringify(outbox);
    outbox = [];
    java.sendBatch(text);
  }
  window.__blRecvOne = function (c, p) {
    dispatch(c, p);
    flush();
  };
  window.__blRecvBatch = function (text) {
    var batch = JSON.parse(text);
    for (var i = 0; i < batch.length; i++) dispatch(batch[i].c, batch[i].p);
    // Microtasks queued during a call from Java run only at WebKit's next task, often a frame
    // (~16 ms) later: flush what the handlers sent before returning to Java.
    flush();
  };
  window.runtime = {
    send: function (c, p) {
      if (window.__blMode === "naive") {
        java.send(c, JSON.stringify(p === undefined ? null : p));
        return;
      }
      outbox.push({ c: c, p: p });
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flush);
      }
    },
    on: function (c, f) {
      var list = listeners.get(c);
      if (!list) listeners.set(c, list = []);
      list.push(f);
    }
  };
})();
