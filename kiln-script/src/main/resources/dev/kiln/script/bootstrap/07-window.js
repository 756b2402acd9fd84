// runtime:window: createWindow, closeWindow, windowEvents, getMonitors and the window handle.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

/**
 * A window's handle. Every method but events() and the on* ones returns a promise: Java applies a
 * setter on the FX thread and settles it after, so the loop never waits for the FX thread. A bad
 * argument rejects (7000); it does not throw.
 */
class WindowHandle {
  #id;
  constructor(id) {
    this.#id = id;
  }
  get id() { return this.#id; }
  #call(method, ...args) {
    flushSends(); // sends made before the call reach the window first
    return javaPromise((pid) => ops.@OP_WINDOW_CALL@(pid, this.#id, method, JSON.stringify(args)));
  }
  close() { return this.#call("close"); }
  isClosed() { return this.#call("isClosed"); }
  setTitle(title) { return this.#call("setTitle", String(title)); }
  getTitle() { return this.#call("getTitle"); }
  setSize(width, height) { return this.#call("setSize", width, height); }
  getSize() { return this.#call("getSize"); }
  setPosition(x, y) { return this.#call("setPosition", x, y); }
  getPosition() { return this.#call("getPosition"); }
  setMinSize(width, height) { return this.#call("setMinSize", width, height); }
  setMaxSize(width, height) { return this.#call("setMaxSize", width, height); }
  center() { return this.#call("center"); }
  focus() { return this.#call("focus"); }
  show() { return this.#call("show"); }
  hide() { return this.#call("hide"); }
  setVisible(visible) { return this.#call("setVisible", visible); }
  isVisible() { return this.#call("isVisible"); }
  isFocused() { return this.#call("isFocused"); }
  minimize() { return this.#call("minimize"); }
  maximize() { return this.#call("maximize"); }
  unmaximize() { return this.#call("unmaximize"); }
  restore() { return this.#call("restore"); }
  isMinimized() { return this.#call("isMinimized"); }
  isMaximized() { return this.#call("isMaximized"); }
  setFullscreen(fullscreen) { return this.#call("setFullscreen", fullscreen); }
  isFullscreen() { return this.#call("isFullscreen"); }
  setResizable(resizable) { return this.#call("setResizable", resizable); }
  isResizable() { return this.#call("isResizable"); }
  setDecorations(decorations) { return this.#call("setDecorations", decorations); }
  hasDecorations() { return this.#call("hasDecorations"); }
  setAlwaysOnTop(alwaysOnTop) { return this.#call("setAlwaysOnTop", alwaysOnTop); }
  isAlwaysOnTop() { return this.#call("isAlwaysOnTop"); }
  evalJs(script) { return this.#call("evalJs", script); }
  injectCss(css) { return this.#call("injectCss", css); }
  events() { return openStream(STREAM_OWN_WINDOW, this.#id); }
  // Kiln's system events travel on the channel named after their type, so each callback is an
  // onChannel listener for that type, filtered to this window.
  #on(type, callback, call) {
    if (typeof callback !== "function") throw new TypeError("The callback must be a function, got " + typeof callback);
    const id = this.#id;
    return listen(STREAM_CHANNEL, type, (payload, windowId) => {
      if (windowId === id) call(callback, payload);
    });
  }
  onFocus(callback) { return this.#on("focus", callback, (cb) => cb()); }
  onBlur(callback) { return this.#on("blur", callback, (cb) => cb()); }
  onResize(callback) { return this.#on("resize", callback, (cb, p) => cb(p.width, p.height)); }
  onMove(callback) { return this.#on("move", callback, (cb, p) => cb(p.x, p.y)); }
  onClose(callback) { return this.#on("close", callback, (cb) => cb()); }
  toJSON() { return { id: this.#id }; }
}

function createWindow(options = {}) {
  return javaPromise((id) => {
    if (options === null || typeof options !== "object") {
      throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] createWindow() takes an options object");
    }
    flushSends();
    ops.@OP_WINDOW_CREATE@(id, JSON.stringify(options));
  }, (info) => new WindowHandle(info.id));
}

/** Resolves true once the window has closed, false if no open window has that id. */
function closeWindow(id) {
  flushSends();
  return javaPromise((pid) => ops.@OP_WINDOW_CLOSE@(pid, String(id)));
}

/**
 * runtime:window's windowEvents: the system events (close, focus, ...) of every window, without the
 * pages' messages that runtime:ipc's windowEvents also yields. Opened at the call, as openStream.
 */
function windowSystemEvents() {
  const all = openStream(STREAM_ALL, null);
  const next = () => all.next().then((r) => (r.done || r.value.type !== undefined ? r : next()));
  return {
    next,
    return: (value) => all.return(value),
    throw: (error) => all.throw(error),
    [Symbol.asyncIterator]() {
      return this;
    },
    [Symbol.toStringTag]: "AsyncGenerator",
  };
}

function getMonitors() {
  return javaPromise((pid) => ops.@OP_WINDOW_MONITORS@(pid));
}

const window = Object.freeze({ createWindow, closeWindow, windowEvents: windowSystemEvents, getMonitors, dialog, menu, tray });
