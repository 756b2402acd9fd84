// The runtime: modules' objects, by name: `import ... from "runtime:fs"` gets runtimeModules.fs.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).
// A module is one file here that sets runtimeModules.<name> to a frozen object of its exports;
// 99-seal.js publishes them and ModuleLoader.java serves each one as "runtime:<name>".

const runtimeModules = Object.create(null);
