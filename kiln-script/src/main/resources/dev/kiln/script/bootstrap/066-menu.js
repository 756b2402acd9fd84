// runtime:window's menu and tray namespaces: app menus, context menus, their clicks, tray icons.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function menuItems(items, api) {
  if (!Array.isArray(items)) {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] " + api + "() takes an array of menu items");
  }
  return JSON.stringify(items);
}

function optionalWindowId(windowId) {
  return windowId === undefined || windowId === null ? null : String(windowId);
}

// Every listener (onMenu callbacks, events() loops) sees every click: one receive is kept pending
// in Java while there are listeners, and each click is handed to all of them.
const menuListeners = new Set(); // { event(e), end() }
let menuReceiving = false;

function receiveMenuClicks() {
  if (menuReceiving) return;
  menuReceiving = true;
  const next = () => {
    if (menuListeners.size === 0) {
      menuReceiving = false;
      op(ops.@OP_MENU_STOP@)();
      return;
    }
    javaPromise((id) => ops.@OP_MENU_RECV@(id)).then((event) => {
      if (event == null) { // the app is ending
        menuReceiving = false;
        for (const l of [...menuListeners]) l.end();
        return;
      }
      for (const l of [...menuListeners]) l.event(event);
      next();
    }, (error) => {
      menuReceiving = false;
      for (const l of [...menuListeners]) l.end(error);
    });
  };
  next();
}

function onMenu(callback) {
  if (typeof callback !== "function") {
    throw kilnError(@E_CHANNEL_SEND@, "[@E_CHANNEL_SEND@] menu.onMenu() takes a function");
  }
  const listener = { event: (e) => guarded(callback, [e]), end: () => {} };
  menuListeners.add(listener);
  receiveMenuClicks();
  return () => { menuListeners.delete(listener); };
}

async function* menuEvents() {
  const queue = [];
  let wake = null;
  let ended = false;
  let failure = null;
  const listener = {
    event: (e) => { queue.push(e); if (wake) wake(); },
    end: (error) => { ended = true; failure = error || null; if (wake) wake(); },
  };
  menuListeners.add(listener);
  receiveMenuClicks();
  try {
    while (true) {
      if (queue.length > 0) {
        yield queue.shift();
      } else if (ended) {
        if (failure) throw failure;
        return;
      } else {
        await new Promise((resolve) => { wake = resolve; });
        wake = null;
      }
    }
  } finally {
    menuListeners.delete(listener);
  }
}

const menu = Object.freeze({
  /** Sets the menu bar of every window (or of one, given its id); resolves to true. */
  setAppMenu(items, windowId) {
    return javaPromise((id) => {
      const json = menuItems(items, "menu.setAppMenu");
      flushSends();
      ops.@OP_MENU_SET@(id, json, optionalWindowId(windowId));
    });
  },
  /** Shows a context menu at the pointer; the id of the item chosen, or null when dismissed. */
  showContextMenu(items, windowId) {
    return javaPromise((id) => {
      const json = menuItems(items, "menu.showContextMenu");
      flushSends();
      ops.@OP_MENU_CONTEXT@(id, json, optionalWindowId(windowId));
    });
  },
  events: menuEvents,
  onMenu,
});

class TrayHandle {
  #id;
  constructor(id) {
    this.#id = id;
  }
  get id() { return this.#id; }
  update(options) {
    const trayId = this.#id;
    return javaPromise((id) => ops.@OP_TRAY_UPDATE@(id, trayId, dialogOptions(options, "tray.update")));
  }
  destroy() { return tray.destroy(this.#id); }
  toJSON() { return { id: this.#id }; }
}

const tray = Object.freeze({
  /** Shows a tray icon; fails with code @E_TRAY_UNAVAILABLE@ where the desktop has no system tray. */
  create(options = {}) {
    return javaPromise((id) => ops.@OP_TRAY_CREATE@(id, dialogOptions(options, "tray.create")),
      (trayId) => new TrayHandle(trayId));
  },
  destroy(trayId) {
    return javaPromise((id) => ops.@OP_TRAY_DESTROY@(id, String(trayId)));
  },
});
