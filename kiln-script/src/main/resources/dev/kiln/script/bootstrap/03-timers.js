// setTimeout / setInterval and their clear functions, on the Java event loop's timers.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const timers = new Map(); // id -> { callback, args, repeat, delay, level, weak }
let nextTimerId = 1;

// As in browsers and Deno: a timer set from a timer callback nests one level deeper (an interval's
// every repeat too), and from the sixth level on a delay under 4 ms becomes 4 ms, so that a chain of
// zero-delay timers cannot spin the loop. The event loop interleaves timers with IPC either way.
const CLAMP_AFTER_LEVEL = 5;
const CLAMPED_DELAY_MS = 4;
let runningLevel = 0; // the nesting level of the timer callback running now; 0 outside timers

function clamped(delay, level) {
  return level > CLAMP_AFTER_LEVEL && delay < CLAMPED_DELAY_MS ? CLAMPED_DELAY_MS : delay;
}

/**
 * Starts a timer; its id. A weak timer (weak: true) fires as usual while the app runs, but does not
 * keep the app alive by itself: the bootstrap's own timers (AbortSignal.timeout) are weak, as in Deno.
 */
function startTimer(callback, delay, args, repeat, weak = false) {
  if (typeof callback !== "function") {
    throw new TypeError("The callback of a timer must be a function, got " + typeof callback);
  }
  delay = Number(delay);
  delay = Number.isFinite(delay) && delay > 0 ? Math.min(Math.floor(delay), 2147483647) : 0;
  const id = nextTimerId++;
  const level = runningLevel + 1;
  timers.set(id, { callback, args, repeat, delay, level, weak });
  ops.@OP_TIMER_START@(id, clamped(delay, level), weak);
  return id;
}

function stopTimer(id) {
  id = Number(id);
  if (timers.delete(id)) ops.@OP_TIMER_CANCEL@(id);
}

function fire(id) {
  const timer = timers.get(id);
  if (!timer) return;
  if (timer.repeat) {
    timer.level++;
    ops.@OP_TIMER_START@(id, clamped(timer.delay, timer.level), timer.weak);
  } else {
    timers.delete(id);
  }
  const outer = runningLevel;
  runningLevel = timer.level;
  try {
    guarded(timer.callback, timer.args);
  } finally {
    runningLevel = outer;
  }
}

/**
 * Runs a callback of the app (with `this` as thisArg); an exception it throws ends the app, as in
 * Deno (then: false). Whatever runs after it in the same turn still runs.
 */
function guarded(fn, args, thisArg) {
  try {
    // An async callback's rejection surfaces as an unhandled rejection, which the host reports.
    fn.apply(thisArg, args);
    return true;
  } catch (e) {
    ops.@OP_UNCAUGHT@(describe(e));
    return false;
  }
}
