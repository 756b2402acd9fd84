// Publishes the runtime: modules (see 00-modules.js) under the internal symbol, where ModuleLoader.java finds them.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

Object.defineProperty(globalThis, INTERNAL, { value: Object.freeze(Object.assign(Object.create(null), runtimeModules)) });
