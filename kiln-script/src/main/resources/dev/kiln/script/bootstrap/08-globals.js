// Installs the globals, and registers runtime:ipc and runtime:window (see 00-modules.js).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const define = (name, value) =>
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
define("console", console);
define("setTimeout", (cb, delay, ...args) => startTimer(cb, delay, args, false));
define("setInterval", (cb, delay, ...args) => startTimer(cb, delay, args, true));
define("clearTimeout", stopTimer);
define("clearInterval", stopTimer);
if (typeof globalThis.queueMicrotask !== "function") {
  define("queueMicrotask", (callback) => {
    if (typeof callback !== "function") throw new TypeError("queueMicrotask() needs a function");
    Promise.resolve().then(() => guarded(callback, []));
  });
}
define("TextEncoder", TextEncoder);
define("TextDecoder", TextDecoder);
define("btoa", btoa);
define("atob", atob);
define("DOMException", DOMException);
define("Event", Event);
define("EventTarget", EventTarget);
define("AbortController", AbortController);
define("AbortSignal", AbortSignal);
define("fetch", fetch);
define("Headers", Headers);
define("Request", Request);
define("Response", Response);
if (typeof globalThis.ReadableStream !== "function") {
  define("ReadableStream", ReadableStream);
  define("ReadableStreamDefaultReader", ReadableStreamDefaultReader);
}
runtimeModules.ipc = ipc;
runtimeModules.window = window;
