// runtime:window: createWindow, closeWindow and the window handle.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

class WindowHandle {
  #id;
  constructor(id) {
    this.#id = id;
  }
  get id() { return this.#id; }
  #call(method, ...args) {
    flushSends();
    const result = op(ops.@OP_WINDOW_CALL@)(this.#id, method, JSON.stringify(args));
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
      throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] createWindow() takes an options object");
    }
    flushSends();
    ops.@OP_WINDOW_CREATE@(id, JSON.stringify(options));
  }, (info) => new WindowHandle(info.id));
}

function closeWindow(id) {
  flushSends();
  op(ops.@OP_WINDOW_CLOSE@)(String(id));
}

const window = Object.freeze({ createWindow, closeWindow, dialog, menu, tray });
