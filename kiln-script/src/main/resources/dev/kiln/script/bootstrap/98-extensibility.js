// Forge's extensibility API on every runtime: module: hooks around the module's operations (onBefore,
// onAfter, onError, removeAllHooks) and a registry of named handlers (registerHandler, invokeHandler,
// listHandlers, removeHandler, hasHandler). Done here once for all modules, from the table below:
// each module object in runtimeModules is replaced by a frozen copy whose hooked functions are wrappers,
// before 99-seal.js publishes them. docs/reference/extensibility.md describes what apps see.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

/**
 * Forge's op names (each module's OpName), by module: `async` and `sync` map an op to the exports
 * that perform it (space-separated; "a.b" is b in the namespace a; a trailing "?" marks an export that
 * may be absent, the op then has none); `none` lists Forge's ops that Kiln's module has no function for
 * (Kiln may have them as methods of a handle, which hooks do not reach). A synchronous op stays
 * synchronous: its hooks are called without being awaited.
 */
const HOOKED_OPS = {
  fs: {
    async: {
      readText: "readTextFile", writeText: "writeTextFile", readBytes: "readBytes readFile",
      writeBytes: "writeBytes writeFile", stat: "stat", readDir: "readDir", mkdir: "mkdir", remove: "remove",
      rename: "rename", copy: "copy", exists: "exists", watch: "watch watchFile", symlink: "symlink createSymlink",
      readLink: "readLink", appendText: "appendTextFile", appendBytes: "appendBytes appendFile",
      metadata: "metadata", realPath: "realPath", tempFile: "tempFile", tempDir: "tempDir",
    },
    none: "watchNext watchClose",
  },
  net: {
    async: {
      fetch: "fetch", fetchBytes: "fetchBytes", wsConnect: "ws.connect? connectWebSocket?",
      wsSend: "ws.send? sendWebSocket?", wsRecv: "ws.recv? recvWebSocket?", wsClose: "ws.close? closeWebSocket?",
      fetchStream: "fetchStream?",
    },
  },
  sys: {
    sync: {
      info: "info", envGet: "getEnv", envSet: "setEnv", cwd: "cwd", homeDir: "homeDir", tempDir: "tempDir",
      envAll: "getAllEnv envAll", envDelete: "deleteEnv envDelete", locale: "locale getLocale",
      appPaths: "appPaths getPaths",
    },
    async: {
      clipboardRead: "clipboard.read", clipboardWrite: "clipboard.write", notify: "notify", notifyExt: "notifyExt",
      powerInfo: "powerInfo",
    },
  },
  storage: {
    async: {
      get: "get", set: "set", delete: "remove delete_", has: "has", keys: "keys", clear: "clear", size: "size",
      getMany: "getMany", setMany: "setMany", deleteMany: "deleteMany",
    },
  },
  crypto: {
    sync: {
      randomBytes: "randomBytes", randomUuid: "randomUUID", hash: "hash", hashHex: "hashHex", hmac: "hmac",
      encrypt: "encrypt", decrypt: "decrypt", generateKey: "generateKey", deriveKey: "deriveKey", verify: "verify",
    },
  },
  log: {
    sync: { info: "info", emit: "emit" },
  },
  process: {
    async: {
      spawn: "spawn", kill: "kill", wait: "wait", status: "status", writeStdin: "writeStdin",
      readStdout: "readStdout", readStderr: "readStderr",
    },
  },
  wasm: {
    async: {
      compile: "compile", compileFile: "compileFile", dropModule: "dropModule", instantiate: "instantiate",
      getExports: "getExports", call: "call", memoryRead: "memory.read", memoryWrite: "memory.write",
      memorySize: "memory.size", memoryGrow: "memory.grow",
    },
    none: "dropInstance",
  },
  app: {
    sync: {
      exit: "exit", getVersion: "getVersion version", getName: "getName name",
      getIdentifier: "getIdentifier identifier", getPath: "getPath", isPackaged: "isPackaged", getLocale: "getLocale",
      setUserModelId: "setUserModelId",
    },
    async: {
      quit: "quit", relaunch: "relaunch", requestSingleInstanceLock: "requestSingleInstanceLock",
      releaseSingleInstanceLock: "releaseSingleInstanceLock", focus: "focus", hide: "hide", show: "show",
      setBadgeCount: "setBadgeCount",
    },
  },
  window: {
    async: {
      create: "createWindow", close: "closeWindow", getMonitors: "getMonitors", dialogOpen: "dialog.open",
      dialogSave: "dialog.save", dialogMessage: "dialog.message", setAppMenu: "menu.setAppMenu",
      showContextMenu: "menu.showContextMenu", createTray: "tray.create", destroyTray: "tray.destroy",
    },
    none: "minimize maximize unmaximize restore setFullscreen isFullscreen focus isFocused getPosition setPosition "
      + "getSize setSize getTitle setTitle setResizable isResizable setDecorations hasDecorations setAlwaysOnTop "
      + "isAlwaysOnTop setVisible isVisible isMaximized isMinimized menuRecv updateTray eventsRecv getNativeHandle "
      + "openDevtools closeDevtools isDevtoolsOpen evalJs injectCss setMinSize setMaxSize center",
  },
  ipc: {
    async: { send: "sendToWindow", recv: "recvWindowEvent" },
  },
};

const NO_HOOKS = Object.freeze([]);

/**
 * The hooks of one op. The lists are replaced, never changed in place, so that a call goes through the
 * lists it started with while hooks come and go. `active` is what a call without hooks reads.
 */
class OpHooks {
  active = false;
  before = NO_HOOKS;
  after = NO_HOOKS;
  error = NO_HOOKS;

  /** Adds the callback (as an entry of its own, so that its unsubscribe removes only it); the unsubscribe. */
  add(kind, callback) {
    const entry = { callback };
    this[kind] = [...this[kind], entry];
    this.active = true;
    return () => {
      if (this[kind].includes(entry)) {
        this[kind] = this[kind].filter((e) => e !== entry);
        this.#updateActive();
      }
    };
  }

  clear() {
    this.before = this.after = this.error = NO_HOOKS;
    this.active = false;
  }

  #updateActive() {
    this.active = this.before.length + this.after.length + this.error.length > 0;
  }
}

/** An error hook's own failure: reported as an uncaught error (as a throwing timer callback is); the call keeps its error. */
function reportHookFailure(e) {
  ops.@OP_UNCAUGHT@(describe(e));
}

/** `fn` with the hooks of `hooks` around it, its result a promise: every hook is awaited, in order. */
function hookedAsync(hooks, fn) {
  async function run(thisArg, args) {
    for (const e of hooks.before) await e.callback(args);
    let result;
    try {
      result = await fn.apply(thisArg, args);
    } catch (error) {
      for (const e of hooks.error) {
        try {
          await e.callback(error, args);
        } catch (failure) {
          reportHookFailure(failure);
        }
      }
      throw error;
    }
    for (const e of hooks.after) await e.callback(result, args);
    return result;
  }
  return function () {
    if (!hooks.active) return fn.apply(this, arguments); // no hooks: the call as it was
    return run(this, Array.prototype.slice.call(arguments));
  };
}

/** `fn` with the hooks of `hooks` around it, synchronous as `fn` is: hooks are called, a promise they return is not awaited. */
function hookedSync(hooks, fn) {
  return function () {
    if (!hooks.active) return fn.apply(this, arguments);
    const args = Array.prototype.slice.call(arguments);
    for (const e of hooks.before) e.callback(args);
    let result;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      for (const e of hooks.error) {
        try {
          e.callback(error, args);
        } catch (failure) {
          reportHookFailure(failure);
        }
      }
      throw error;
    }
    for (const e of hooks.after) e.callback(result, args);
    return result;
  };
}

/** `object`, frozen, with some of its properties replaced: `changes` maps a key to its new value, or to the changes of the namespace there. */
function replaced(object, changes) {
  const descriptors = Object.getOwnPropertyDescriptors(object);
  for (const key of Object.keys(changes)) {
    const change = changes[key];
    const value = typeof change === "function" ? change : replaced(object[key], change);
    descriptors[key] = { value, enumerable: true, writable: false, configurable: false };
  }
  return Object.freeze(Object.create(Object.getPrototypeOf(object), descriptors));
}

/** The module object `name` with its hooked functions wrapped and the extensibility functions added. */
function extensible(name, module, table) {
  const hooksByOp = new Map(); // op name -> OpHooks, for the ops that have a function here
  const missing = new Set(table.none ? table.none.split(" ") : []); // Forge's ops without one
  const changes = Object.create(null);
  const wrappers = new Map(); // function -> wrapper, so that aliases (readFile, readBytes) stay one function
  for (const [kind, wrap] of [["async", hookedAsync], ["sync", hookedSync]]) {
    for (const [opName, exportPaths] of Object.entries(table[kind] || {})) {
      const hooks = new OpHooks();
      for (const path of exportPaths.split(" ")) {
        const optional = path.endsWith("?");
        const keys = (optional ? path.slice(0, -1) : path).split(".");
        let owner = module;
        for (const key of keys.slice(0, -1)) owner = owner == null ? undefined : owner[key];
        const fn = owner == null ? undefined : owner[keys[keys.length - 1]];
        if (typeof fn !== "function") {
          if (optional) continue;
          throw new Error("98-extensibility.js: runtime:" + name + " has no function " + path + " for op " + opName);
        }
        if (!wrappers.has(fn)) wrappers.set(fn, wrap(hooks, fn));
        let at = changes;
        for (const key of keys.slice(0, -1)) at = at[key] || (at[key] = Object.create(null));
        at[keys[keys.length - 1]] = wrappers.get(fn);
        hooksByOp.set(opName, hooks);
      }
      if (!hooksByOp.has(opName)) missing.add(opName);
    }
  }
  const hookable = [...hooksByOp.keys()].join(", ");

  /** The hooks of `opName`, or the 7024 error that `caller` (onBefore, ...) throws for a name that has none. */
  function opHooks(caller, opName) {
    const hooks = hooksByOp.get(opName);
    if (hooks !== undefined) return hooks;
    if (missing.has(opName)) {
      throw argumentError(caller + "(): runtime:" + name + " has no function for Forge's op '" + opName
        + "' (if Kiln has it as a method of a handle, hooks do not reach it); the ops that can be hooked: " + hookable);
    }
    throw argumentError(caller + "(): " + typeName(opName) + " is not an op of runtime:" + name
      + "; the ops that can be hooked: " + hookable);
  }

  function hook(kind, caller) {
    return (opName, callback) => {
      const hooks = opHooks(caller, opName);
      if (typeof callback !== "function") throw argumentError(caller + "(): the callback must be a function, got " + typeName(callback));
      return hooks.add(kind, callback);
    };
  }

  const handlers = new Map(); // this module's own, as in Forge: fs's handlers are not net's

  const api = {
    onBefore: hook("before", "onBefore"),
    onAfter: hook("after", "onAfter"),
    onError: hook("error", "onError"),
    removeAllHooks(opName) {
      if (opName === undefined || opName === null) {
        for (const hooks of hooksByOp.values()) hooks.clear();
      } else {
        opHooks("removeAllHooks", opName).clear();
      }
    },
    registerHandler(handlerName, handler) {
      const key = needText("registerHandler", "name", handlerName);
      if (typeof handler !== "function") {
        throw argumentError("registerHandler(): the handler must be a function, got " + typeName(handler));
      }
      if (handlers.has(key)) {
        throw kilnError(@E_ALREADY_EXISTS@, "[@E_ALREADY_EXISTS@] registerHandler(): runtime:" + name
          + " has a handler named '" + key + "' already (removeHandler() it first)");
      }
      handlers.set(key, handler);
    },
    async invokeHandler(handlerName, ...args) {
      const key = needText("invokeHandler", "name", handlerName);
      const handler = handlers.get(key);
      if (handler === undefined) {
        throw kilnError(@E_NOT_FOUND@, "[@E_NOT_FOUND@] invokeHandler(): runtime:" + name + " has no handler named '" + key + "'");
      }
      return await handler(...args);
    },
    listHandlers: () => [...handlers.keys()],
    removeHandler: (handlerName) => handlers.delete(needText("removeHandler", "name", handlerName)),
    hasHandler: (handlerName) => handlers.has(needText("hasHandler", "name", handlerName)),
  };
  for (const key of Object.keys(api)) {
    if (Object.hasOwn(module, key)) throw new Error("98-extensibility.js: runtime:" + name + " has its own " + key);
    changes[key] = api[key];
  }
  return replaced(module, changes);
}

for (const name of Object.keys(runtimeModules)) {
  const table = HOOKED_OPS[name];
  if (table === undefined) throw new Error("98-extensibility.js: runtime:" + name + " has no entry in HOOKED_OPS");
  runtimeModules[name] = extensible(name, runtimeModules[name], table);
}
