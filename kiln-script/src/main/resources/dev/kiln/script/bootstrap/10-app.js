// runtime:app: the app's identity and folders, quit, exit and relaunch, its windows as a whole, the
// single-instance lock (see AppOps.java); Deno.exit.
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

/** focus, hide or show the app's windows (AppOps.windows); settles once the windows did it. */
function appWindows(action) {
  flushSends();
  return javaPromise((id) => ops.@OP_APP_WINDOWS@(id, action));
}

let badgeCount = 0;

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
  /** Ends this run as quit does, then the app starts again from main.ts with fresh windows. */
  relaunch: async () => {
    flushSends();
    ops.@OP_APP_RELAUNCH@();
  },
  requestSingleInstanceLock: () => javaPromise((id) => ops.@OP_APP_LOCK@(id, true)),
  releaseSingleInstanceLock: () => javaPromise((id) => ops.@OP_APP_LOCK@(id, false), () => undefined),
  focus: () => appWindows("focus"),
  hide: () => appWindows("hide"),
  show: () => appWindows("show"),
  setBadgeCount: async (count) => {
    if (count === undefined || count === null) count = 0;
    if (!Number.isInteger(count) || count < 0) {
      throw argumentError("setBadgeCount(): count must be a whole number of 0 or more (or null to clear), got " + typeName(count));
    }
    if (count > 0) ops.@OP_APP_BADGE@(count);
    badgeCount = count;
  },
  getBadgeCount: () => badgeCount,
  /** Windows' AppUserModelID: nothing to do on other platforms. */
  setUserModelId: (appId) => {
    needString("setUserModelId", "appId", appId);
  },
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
