// Promises that Java settles: an operation gets an id, Java calls settle(id, code, text) later.
// Part of the script host's bootstrap: Bootstrap.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope.

const pending = new Map(); // promise id -> { resolve, reject, map }
let nextPromiseId = 1;

/** A promise that Java settles through settle(id, ...); `start(id)` starts the operation. */
function javaPromise(start, map) {
  const id = nextPromiseId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, map });
    try {
      start(id);
    } catch (e) {
      pending.delete(id);
      reject(withCode(e));
    }
  });
}

function settle(id, code, text) {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  if (code === 0) {
    const value = text == null ? undefined : JSON.parse(text);
    p.resolve(p.map ? p.map(value) : value);
  } else {
    let extra;
    if (code >= 7000 && code <= 7004) {
      const nl = text.indexOf("\n{");
      if (nl >= 0) {
        extra = JSON.parse(text.slice(nl + 1));
        text = text.slice(0, nl);
      }
    }
    p.reject(code > 0 ? kilnError(code, text, extra) : new Error(text));
  }
}
