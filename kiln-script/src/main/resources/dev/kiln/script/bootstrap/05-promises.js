// Promises that Java settles: an operation gets an id, Java calls settle(id, code, text) later.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const pending = new Map(); // promise id -> { resolve, reject, map, site? }
let nextPromiseId = 1;

// --trace-sends (ScriptApp#setTraceSends): sends, calls and stream reads keep a CallSite (01-errors.js)
// in their resolvers, so that their failure names the app's line. Off, what it costs is this check.
const TRACE_SENDS = @TRACE_SENDS@;

const tracedErrors = new WeakSet(); // an error shared by several operations names the first one's site

/** `error`, its first stack line ending in ", sent at src/main.ts:12:7" when `site` (a CallSite) is given. */
function traced(error, site) {
  if (site === undefined || !(error instanceof Error) || tracedErrors.has(error)) return error;
  tracedErrors.add(error);
  const where = site.stack;
  if (typeof where !== "string" || where === "") return error;
  const stack = String(error.stack);
  const nl = stack.indexOf("\n");
  const tail = ", " + site.verb + " at " + where;
  error.stack = nl < 0 ? stack + tail : stack.slice(0, nl) + tail + stack.slice(nl);
  return error;
}

let made = null; // the resolvers of the promise being made, set by its executor
function keepResolvers(resolve, reject) {
  made = { resolve, reject, map: undefined };
}

/**
 * A new promise and its resolvers ({ resolve, reject, map }), for Java to settle once registered in
 * `pending`. One executor shared by all, so that making one allocates no closure.
 */
function newPromise() {
  const promise = new Promise(keepResolvers);
  return [promise, made];
}

/** A promise that Java settles through settle(id, ...); `start(id)` starts the operation. */
function javaPromise(start, map) {
  const id = nextPromiseId++;
  const [promise, resolvers] = newPromise();
  resolvers.map = map;
  pending.set(id, resolvers);
  try {
    start(id);
  } catch (e) {
    pending.delete(id);
    resolvers.reject(withCode(e));
  }
  return promise;
}

/**
 * Settles the promises of a batch of sends with one call (see SendResults.java): JSON text of an
 * array in completion order, a number being a promise to resolve, [id, code, text] one to reject.
 */
function settleSends(json) {
  const results = JSON.parse(json);
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (typeof r === "number") {
      const p = pending.get(r);
      if (p) {
        pending.delete(r);
        p.resolve(undefined);
      }
    } else {
      settle(r[0], r[1], r[2]);
    }
  }
}

function settle(id, code, text) {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  if (code === 0) {
    const value = text == null ? undefined : parsePayload(text);
    p.resolve(p.map ? p.map(value) : value);
  } else {
    let extra;
    if (code >= @E_CHANNEL_SEND@ && code <= @E_PERMISSION_DENIED@) {
      const nl = text.indexOf("\n{");
      if (nl >= 0) {
        extra = JSON.parse(text.slice(nl + 1));
        text = text.slice(0, nl);
      }
    }
    p.reject(traced(code > 0 ? kilnError(code, text, extra) : new Error(text), p.site));
  }
}
