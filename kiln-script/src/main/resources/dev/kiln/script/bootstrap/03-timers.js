// setTimeout / setInterval and their clear functions, on the Java event loop's timers.
// Part of the script host's bootstrap: Bootstrap.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope.

const timers = new Map(); // id -> { callback, args, repeat, delay }
let nextTimerId = 1;

function startTimer(callback, delay, args, repeat) {
  if (typeof callback !== "function") {
    throw new TypeError("The callback of a timer must be a function, got " + typeof callback);
  }
  delay = Number(delay);
  delay = Number.isFinite(delay) && delay > 0 ? Math.min(Math.floor(delay), 2147483647) : 0;
  const id = nextTimerId++;
  timers.set(id, { callback, args, repeat, delay });
  ops.timerStart(id, delay);
  return id;
}

function stopTimer(id) {
  id = Number(id);
  if (timers.delete(id)) ops.timerCancel(id);
}

function fire(id) {
  const timer = timers.get(id);
  if (!timer) return;
  if (timer.repeat) {
    ops.timerStart(id, timer.delay);
  } else {
    timers.delete(id);
  }
  guarded(timer.callback, timer.args);
}

/** Runs a callback of the app; an exception it throws ends the app, as in Deno (then: false). */
function guarded(fn, args) {
  try {
    // An async callback's rejection surfaces as an unhandled rejection, which the host reports.
    fn.apply(undefined, args);
    return true;
  } catch (e) {
    ops.uncaught(describe(e));
    return false;
  }
}
