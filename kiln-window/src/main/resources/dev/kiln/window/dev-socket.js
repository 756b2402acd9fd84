// Kiln dev mode only: a WebSocket for sockets to the page's own origin, carried over HTTP to the
// host, which holds the real socket to the dev server (DevSockets.java). JavaFX's WebView cannot
// open a WebSocket itself, and a dev server's hot module replacement (Vite's, for one) needs one.
// Sockets to other origins use the WebView's own WebSocket, as before.
(() => {
  "use strict";
  const Native = window.WebSocket;
  const PREFIX = "/.kiln/dev-socket/";
  const post = (path, body) =>
    fetch(PREFIX + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const toBase64 = (bytes) => {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  class KilnDevSocket extends EventTarget {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    #id = null;
    #queue = Promise.resolve();
    #url;
    constructor(url, protocols) {
      super();
      const target = new URL(url, location.href);
      this.#url = target.href;
      this.readyState = 0;
      this.protocol = "";
      this.extensions = "";
      this.bufferedAmount = 0;
      this.binaryType = "blob";
      this.onopen = this.onmessage = this.onerror = this.onclose = null;
      const list = protocols === undefined ? [] : Array.isArray(protocols) ? protocols.map(String) : [String(protocols)];
      post("open", { path: target.pathname + target.search, protocols: list })
        .then(async (r) => {
          const answer = await r.json();
          if (!r.ok) throw new Error(answer.error || "HTTP " + r.status);
          if (this.readyState !== 0) return post(answer.id + "/close", { code: 1000, reason: "" });
          this.#id = answer.id;
          this.protocol = answer.protocol || "";
          this.readyState = 1;
          this.#fire(new Event("open"));
          this.#poll();
        })
        .catch((e) => {
          console.warn("[kiln dev] WebSocket " + this.#url + " failed: " + (e && e.message));
          this.#finish(1006, "", true);
        });
    }
    get url() { return this.#url; }
    send(data) {
      if (this.readyState === 0) throw new DOMException("WebSocket is still connecting", "InvalidStateError");
      if (this.readyState !== 1) return;
      let frame;
      if (typeof data === "string") frame = Promise.resolve({ t: "text", d: data });
      else if (data instanceof Blob) frame = data.arrayBuffer().then((b) => ({ t: "binary", d: toBase64(new Uint8Array(b)) }));
      else if (ArrayBuffer.isView(data)) frame = Promise.resolve({ t: "binary", d: toBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) });
      else if (data instanceof ArrayBuffer) frame = Promise.resolve({ t: "binary", d: toBase64(new Uint8Array(data)) });
      else frame = Promise.resolve({ t: "text", d: String(data) });
      const id = this.#id;
      // One at a time, in order, as a socket sends.
      this.#queue = this.#queue.then(() => frame).then((f) => post(id + "/send", f)).catch(() => {});
    }
    close(code = 1000, reason = "") {
      if (this.readyState >= 2) return;
      const id = this.#id;
      this.readyState = 2;
      if (id) this.#queue = this.#queue.then(() => post(id + "/close", { code, reason })).catch(() => {});
      else this.#finish(code, reason, false);
    }
    async #poll() {
      while (this.readyState === 1 || this.readyState === 2) {
        let frames;
        try {
          const r = await fetch(PREFIX + this.#id + "/poll", { cache: "no-store" });
          if (!r.ok) throw new Error("HTTP " + r.status);
          frames = await r.json();
        } catch (e) {
          this.#finish(1006, "", true);
          return;
        }
        for (const f of frames) {
          if (f.t === "close") {
            this.#finish(f.code, f.reason, f.code === 1006);
            return;
          }
          let data = f.d;
          if (f.t === "binary") {
            const bytes = fromBase64(f.d);
            data = this.binaryType === "arraybuffer" ? bytes.buffer : new Blob([bytes]);
          }
          this.#fire(new MessageEvent("message", { data, origin: new URL(this.#url).origin }));
        }
      }
    }
    #finish(code, reason, error) {
      if (this.readyState === 3) return;
      this.readyState = 3;
      if (error) this.#fire(new Event("error"));
      const event = new Event("close");
      Object.defineProperties(event, { code: { value: code }, reason: { value: reason }, wasClean: { value: !error } });
      this.#fire(event);
    }
    #fire(event) {
      const handler = this["on" + event.type];
      if (typeof handler === "function") {
        try { handler.call(this, event); } catch (e) { setTimeout(() => { throw e; }); }
      }
      this.dispatchEvent(event);
    }
  }
  for (const [k, v] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
    Object.defineProperty(KilnDevSocket.prototype, k, { value: v });
  }

  function WebSocket(url, protocols) {
    if (!new.target) throw new TypeError("Failed to construct 'WebSocket': Please use the 'new' operator");
    const target = new URL(url, location.href);
    const same = (target.protocol === "ws:" || target.protocol === "wss:") && target.host === location.host;
    return same ? new KilnDevSocket(target.href, protocols) : new Native(url, protocols);
  }
  WebSocket.prototype = KilnDevSocket.prototype;
  Object.assign(WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  Object.defineProperty(window, "WebSocket", { value: WebSocket, writable: true, configurable: true });
})();
