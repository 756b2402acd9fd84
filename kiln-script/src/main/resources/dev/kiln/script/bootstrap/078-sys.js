// runtime:sys: system facts, the environment, the usual folders, the clipboard, notifications and the
// battery (SysOps.java).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function sysPaths() {
  return JSON.parse(op(ops.@OP_SYS_PATHS@)());
}

function envName(name, fn) {
  if (typeof name !== "string" || name === "") throw new TypeError(fn + "() needs an environment variable name");
  return name;
}

const sysApi = {
  info: () => JSON.parse(op(ops.@OP_SYS_INFO@)()),
  getEnv: (key) => op(ops.@OP_SYS_ENV_GET@)(envName(key, "getEnv")) ?? null,
  setEnv(key, value) { op(ops.@OP_SYS_ENV_SET@)(envName(key, "setEnv"), String(value)); },
  deleteEnv(key) { op(ops.@OP_SYS_ENV_DELETE@)(envName(key, "deleteEnv")); },
  getAllEnv: () => JSON.parse(op(ops.@OP_SYS_ENV_ALL@)()),
  cwd: () => sysPaths().cwd,
  homeDir: () => sysPaths().home ?? null,
  tempDir: () => sysPaths().temp,
  locale: () => JSON.parse(op(ops.@OP_SYS_LOCALE@)()),
  appPaths() {
    const p = sysPaths();
    return {
      home: p.home ?? null, documents: p.documents ?? null, downloads: p.downloads ?? null, desktop: p.desktop ?? null,
      music: p.music ?? null, pictures: p.pictures ?? null, videos: p.videos ?? null, data: p.data ?? null,
      config: p.config ?? null, cache: p.cache ?? null, runtime: p.runtime ?? null,
    };
  },
  clipboard: Object.freeze({
    read: () => javaPromise((id) => ops.@OP_SYS_CLIPBOARD_READ@(id)),
    write: (text) => javaPromise((id) => ops.@OP_SYS_CLIPBOARD_WRITE@(id, String(text))),
  }),
  notify: (title, body = "") => sysApi.notifyExt({ title, body }),
  notifyExt(opts) {
    return javaPromise((id) => {
      if (opts == null || typeof opts !== "object" || typeof opts.title !== "string") {
        throw new TypeError("notifyExt() needs { title: string, body?, icon?, sound? }");
      }
      ops.@OP_SYS_NOTIFY@(id, JSON.stringify({ title: opts.title, body: opts.body == null ? "" : String(opts.body),
        icon: opts.icon == null ? null : String(opts.icon), sound: !!opts.sound }));
    });
  },
  powerInfo: () => javaPromise((id) => ops.@OP_SYS_POWER@(id)),
};
// Forge's other names for the same functions.
sysApi.envAll = sysApi.getAllEnv;
sysApi.envDelete = sysApi.deleteEnv;
sysApi.getLocale = sysApi.locale;
sysApi.getPaths = sysApi.appPaths;
runtimeModules.sys = Object.freeze(sysApi);
