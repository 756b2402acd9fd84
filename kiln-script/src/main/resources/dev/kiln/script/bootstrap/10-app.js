// runtime:app: the app's identity and folders, quit and exit (see AppOps.java); Deno.exit.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

/** Ends the app now with the code: nothing after it runs (like a process exit), the windows close. */
function appExit(code = 0) {
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw argumentError("exit(): the exit code must be a whole number from 0 to 255, got " + typeName(code));
  }
  flushSends();
  ops.@OP_APP_EXIT@(code);
  for (;;) {} // V8 was told to terminate: it does so here, at the loop's first check
}

function appInfo() {
  return JSON.parse(ops.@OP_APP_INFO@());
}

const getVersion = () => appInfo().version;
const getName = () => appInfo().name;
const getIdentifier = () => appInfo().identifier;

runtimeModules.app = Object.freeze({
  /** Closes the windows and lets the script wind down (timers no longer keep it alive), as Ctrl-C does. */
  quit: async () => {
    flushSends();
    ops.@OP_APP_QUIT@();
  },
  exit: appExit,
  getVersion, getName, getIdentifier,
  version: getVersion, name: getName, identifier: getIdentifier,
  getPath: (pathType) => op(ops.@OP_APP_PATH@)(needString("getPath", "pathType", pathType)),
  isPackaged: () => false,
  getLocale: () => {
    const { language, country, locale } = appInfo();
    return { language, country, locale };
  },
});

denoCompat.exit = appExit;
