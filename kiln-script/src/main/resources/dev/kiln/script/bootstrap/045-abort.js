// DOMException, Event, EventTarget, AbortController and AbortSignal, as the web standards define them
// for a host without a document: a target is the whole event path (no capture or bubble through parents).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).
//
// For the rest of the bootstrap: `new AbortController()` and `controller.abort(reason)` (the lexical
// classes, which an app cannot replace), `isAbortSignal(value)`, and `onAbort(signal, fn)`, which runs
// fn when the signal aborts, before its listeners, unseen by the app (returns a function that undoes it).

// ---- DOMException ----

// [name, legacy constant, code]: the names WebIDL gives a code; every other name has code 0.
const DOM_EXCEPTION_NAMES = [
  ["IndexSizeError", "INDEX_SIZE_ERR", 1], [null, "DOMSTRING_SIZE_ERR", 2],
  ["HierarchyRequestError", "HIERARCHY_REQUEST_ERR", 3], ["WrongDocumentError", "WRONG_DOCUMENT_ERR", 4],
  ["InvalidCharacterError", "INVALID_CHARACTER_ERR", 5], [null, "NO_DATA_ALLOWED_ERR", 6],
  ["NoModificationAllowedError", "NO_MODIFICATION_ALLOWED_ERR", 7], ["NotFoundError", "NOT_FOUND_ERR", 8],
  ["NotSupportedError", "NOT_SUPPORTED_ERR", 9], ["InUseAttributeError", "INUSE_ATTRIBUTE_ERR", 10],
  ["InvalidStateError", "INVALID_STATE_ERR", 11], ["SyntaxError", "SYNTAX_ERR", 12],
  ["InvalidModificationError", "INVALID_MODIFICATION_ERR", 13], ["NamespaceError", "NAMESPACE_ERR", 14],
  ["InvalidAccessError", "INVALID_ACCESS_ERR", 15], [null, "VALIDATION_ERR", 16],
  ["TypeMismatchError", "TYPE_MISMATCH_ERR", 17], ["SecurityError", "SECURITY_ERR", 18],
  ["NetworkError", "NETWORK_ERR", 19], ["AbortError", "ABORT_ERR", 20], ["URLMismatchError", "URL_MISMATCH_ERR", 21],
  ["QuotaExceededError", "QUOTA_EXCEEDED_ERR", 22], ["TimeoutError", "TIMEOUT_ERR", 23],
  ["InvalidNodeTypeError", "INVALID_NODE_TYPE_ERR", 24], ["DataCloneError", "DATA_CLONE_ERR", 25],
];
const DOM_EXCEPTION_CODES = new Map(DOM_EXCEPTION_NAMES.filter((n) => n[0]).map((n) => [n[0], n[2]]));

/** An Error with a standard name ("AbortError") and its legacy numeric code; name and message are read-only. */
class DOMException extends Error {
  #name;
  #message;
  constructor(message = "", options = "Error") {
    super(); // no own message property: name, message and code are getters, as in browsers
    this.#message = String(message);
    if (typeof options === "object" && options !== null) {
      this.#name = options.name === undefined ? "Error" : String(options.name);
      if ("cause" in options) {
        Object.defineProperty(this, "cause", { value: options.cause, writable: true, configurable: true });
      }
    } else {
      this.#name = String(options);
    }
  }
  get name() { return this.#name; }
  get message() { return this.#message; }
  get code() { return DOM_EXCEPTION_CODES.get(this.#name) || 0; }
}
for (const [, constant, code] of DOM_EXCEPTION_NAMES) {
  const property = { value: code, enumerable: true };
  Object.defineProperty(DOMException, constant, property);
  Object.defineProperty(DOMException.prototype, constant, property);
}

// ---- Event ----

const EVENT_PHASES = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };
const timeOrigin = Date.now(); // Event.timeStamp counts from the script host's start

/** A WebIDL dictionary argument: undefined and null are {}, anything else but an object is a TypeError. */
function dictionary(value, what) {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" && typeof value !== "function") {
    throw new TypeError(what + " must be an object, got " + typeof value);
  }
  return value;
}

let eventState; // (event) => its internal state, or undefined for anything else; set in Event's static block

class Event {
  #s;
  constructor(type, init = undefined) {
    if (arguments.length === 0) throw new TypeError("new Event() needs a type");
    init = dictionary(init, "The options of new Event()");
    this.#s = {
      type: String(type),
      bubbles: Boolean(init.bubbles),
      cancelable: Boolean(init.cancelable),
      composed: Boolean(init.composed),
      timeStamp: Date.now() - timeOrigin,
      target: null,
      currentTarget: null,
      phase: EVENT_PHASES.NONE,
      canceled: false,
      stopped: false,
      stoppedImmediately: false,
      inPassiveListener: false,
      dispatching: false,
      trusted: false,
    };
  }
  static {
    eventState = (event) => (typeof event === "object" && event !== null && #s in event ? event.#s : undefined);
  }
  get type() { return this.#s.type; }
  get target() { return this.#s.target; }
  get srcElement() { return this.#s.target; }
  get currentTarget() { return this.#s.currentTarget; }
  get eventPhase() { return this.#s.phase; }
  get bubbles() { return this.#s.bubbles; }
  get cancelable() { return this.#s.cancelable; }
  get composed() { return this.#s.composed; }
  get defaultPrevented() { return this.#s.canceled; }
  get isTrusted() { return this.#s.trusted; }
  get timeStamp() { return this.#s.timeStamp; }
  get returnValue() { return !this.#s.canceled; }
  set returnValue(value) { if (!value) this.preventDefault(); }
  get cancelBubble() { return this.#s.stopped; }
  set cancelBubble(value) { if (value) this.#s.stopped = true; }
  composedPath() { return this.#s.dispatching ? [this.#s.currentTarget] : []; }
  stopPropagation() { this.#s.stopped = true; }
  stopImmediatePropagation() { this.#s.stopped = true; this.#s.stoppedImmediately = true; }
  /** Has an effect only on a cancelable event, and not inside a listener added with passive: true. */
  preventDefault() {
    if (this.#s.cancelable && !this.#s.inPassiveListener) this.#s.canceled = true;
  }
}
for (const [name, value] of Object.entries(EVENT_PHASES)) {
  Object.defineProperty(Event, name, { value, enumerable: true });
  Object.defineProperty(Event.prototype, name, { value, enumerable: true });
}

// ---- EventTarget ----

let targetListeners; // (target) => Map of type -> listener records, or undefined; set in EventTarget's static block
let abortListenersChanged = () => { }; // set in AbortSignal's static block

/** The `capture` of an options argument that is a boolean or an object, as WebIDL reads it. */
function captureOf(options) {
  return typeof options === "object" && options !== null ? Boolean(options.capture) : Boolean(options);
}

class EventTarget {
  #listeners = new Map(); // type -> [{ callback, capture, once, passive, removed, stopFollowing }]
  static {
    targetListeners = (target) =>
      typeof target === "object" && target !== null && #listeners in target ? target.#listeners : undefined;
  }

  /** Options: capture, once (removed before its first call), passive (preventDefault ignored), signal (removed on abort). */
  addEventListener(type, callback, options = undefined) {
    type = String(type);
    const capture = captureOf(options);
    let once = false;
    let passive = false;
    let signal;
    if (typeof options === "object" && options !== null) {
      once = Boolean(options.once);
      passive = Boolean(options.passive);
      signal = options.signal;
      if (signal !== undefined && !isAbortSignal(signal)) {
        throw new TypeError("The signal option of addEventListener() must be an AbortSignal");
      }
    }
    if (callback === undefined || callback === null) return;
    if (typeof callback !== "function" && typeof callback !== "object") {
      throw new TypeError("addEventListener() needs a function or an object with handleEvent, got " + typeof callback);
    }
    if (signal && signal.aborted) return;
    let list = this.#listeners.get(type);
    if (!list) this.#listeners.set(type, (list = []));
    if (list.some((l) => l.callback === callback && l.capture === capture)) return;
    const listener = { callback, capture, once, passive, removed: false, stopFollowing: null };
    list.push(listener);
    if (signal) listener.stopFollowing = onAbort(signal, () => removeListener(this, type, listener));
    if (type === "abort") abortListenersChanged(this);
  }

  removeEventListener(type, callback, options = undefined) {
    type = String(type);
    const capture = captureOf(options);
    const list = this.#listeners.get(type);
    const listener = list && list.find((l) => l.callback === callback && l.capture === capture);
    if (listener) removeListener(this, type, listener);
  }

  /**
   * Calls the listeners of event.type in order, capture ones first; one that throws is reported as
   * uncaught (which ends the app) and the others still run. False if a listener canceled the event.
   */
  dispatchEvent(event) {
    const state = eventState(event);
    if (!state) throw new TypeError("dispatchEvent() needs an Event, got " + describeType(event));
    if (state.dispatching) throw new DOMException("The event is already being dispatched", "InvalidStateError");
    state.trusted = false;
    return dispatch(this, event, state);
  }
}

function describeType(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const ctor = Object.getPrototypeOf(value)?.constructor;
  return ctor && ctor.name ? ctor.name : "object";
}

function removeListener(target, type, listener) {
  if (listener.removed) return;
  listener.removed = true;
  const list = targetListeners(target).get(type);
  list.splice(list.indexOf(listener), 1);
  if (list.length === 0) targetListeners(target).delete(type);
  if (listener.stopFollowing) listener.stopFollowing();
  if (type === "abort") abortListenersChanged(target);
}

function listenerCount(target, type) {
  const list = targetListeners(target).get(type);
  return list ? list.length : 0;
}

function dispatch(target, event, state) {
  state.dispatching = true;
  state.target = target;
  state.currentTarget = target;
  state.phase = EVENT_PHASES.AT_TARGET;
  try {
    // At the target, capture listeners run first, then the others; each pass sees the list as it was
    // when the pass began, less those removed meanwhile.
    for (const capturePass of [true, false]) {
      if (state.stopped) break;
      const list = targetListeners(target).get(state.type);
      if (!list) continue;
      for (const listener of list.slice()) {
        if (listener.capture !== capturePass || listener.removed) continue;
        if (listener.once) removeListener(target, state.type, listener);
        state.inPassiveListener = listener.passive;
        guarded(callListener, [listener.callback, event, target]);
        state.inPassiveListener = false;
        if (state.stoppedImmediately) break;
      }
      if (state.stoppedImmediately) break;
    }
  } finally {
    state.dispatching = false;
    state.phase = EVENT_PHASES.NONE;
    state.currentTarget = null;
    state.stopped = false;
    state.stoppedImmediately = false;
    state.inPassiveListener = false;
  }
  return !state.canceled;
}

function callListener(callback, event, target) {
  if (typeof callback === "function") {
    callback.call(target, event);
    return;
  }
  const handleEvent = callback.handleEvent;
  if (typeof handleEvent !== "function") {
    throw new TypeError("An event listener object needs a handleEvent method, got " + typeof handleEvent);
  }
  handleEvent.call(callback, event);
}

// ---- AbortSignal and AbortController ----

const NEW_SIGNAL = Symbol("new AbortSignal");
const eventTargetAdd = EventTarget.prototype.addEventListener;
const eventTargetRemove = EventTarget.prototype.removeEventListener;

// The signals of AbortSignal.any() hold on to themselves here while they have something to do when
// aborted (abort listeners, or listeners they remove): their sources hold them only weakly, so that
// any() on a long-lived signal does not keep every signal it made.
const pinnedSignals = new Set();

let abortSteps; // (signal, reason) => aborts signal and the signals of any() that follow it: set in AbortSignal's static block
let abortAlgorithms; // (signal) => its internal abort algorithms, or undefined for anything else

/** Tells whether an operation was, or should be, aborted, and why; made by AbortController and the statics. */
class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #algorithms = new Set(); // internal steps run on abort before the event (onAbort)
  #sources = null; // for a signal of any(): the plain signals it follows
  #dependents = null; // WeakRefs to the signals of any() that follow this one
  #pruneAt = 64;
  #handler = null; // the function set as onabort
  #handlerListener = null;

  constructor(token) {
    if (token !== NEW_SIGNAL) {
      throw new TypeError("AbortSignal cannot be constructed: use new AbortController().signal, AbortSignal.abort(), AbortSignal.timeout() or AbortSignal.any()");
    }
    super();
  }

  static {
    abortSteps = (signal, reason) => signal.#signalAbort(reason);
    abortAlgorithms = (signal) =>
      typeof signal === "object" && signal !== null && #algorithms in signal ? signal.#algorithms : undefined;
    abortListenersChanged = (target) => {
      if (#sources in target && target.#sources) target.#pin();
    };
  }

  get aborted() { return this.#aborted; }
  get reason() { return this.#reason; }

  throwIfAborted() {
    if (this.#aborted) throw this.#reason;
  }

  get onabort() { return this.#handler; }
  set onabort(value) {
    this.#handler = typeof value === "function" ? value : null;
    if (this.#handler && !this.#handlerListener) {
      const signal = this;
      this.#handlerListener = function (event) {
        const handler = signal.#handler;
        if (handler && handler.call(signal, event) === false) event.preventDefault();
      };
      eventTargetAdd.call(this, "abort", this.#handlerListener); // EventTarget's own, whatever the app replaced
    } else if (!this.#handler && this.#handlerListener) {
      eventTargetRemove.call(this, "abort", this.#handlerListener);
      this.#handlerListener = null;
    }
  }

  /** A signal already aborted, with reason or an AbortError DOMException. */
  static abort(reason = undefined) {
    const signal = new AbortSignal(NEW_SIGNAL);
    signal.#aborted = true;
    signal.#reason = reason === undefined ? abortError() : reason;
    return signal;
  }

  /**
   * A signal that aborts with a TimeoutError DOMException after `milliseconds`. Its timer does not
   * keep the app alive: the app ends when nothing else is pending, as if the time had not run out.
   */
  static timeout(milliseconds) {
    const ms = Number(milliseconds);
    if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
      throw new TypeError("AbortSignal.timeout() needs a number of milliseconds from 0 up, got " + String(milliseconds));
    }
    const signal = new AbortSignal(NEW_SIGNAL);
    const delay = Math.trunc(ms);
    startTimer(() => signal.#signalAbort(new DOMException("The signal timed out after " + delay + " ms", "TimeoutError")),
      delay, [], false, true);
    return signal;
  }

  /** A signal that aborts as soon as one of `signals` does, with its reason (at once if one already has). */
  static any(signals) {
    if (signals === null || signals === undefined || typeof signals[Symbol.iterator] !== "function") {
      throw new TypeError("AbortSignal.any() needs an iterable of AbortSignals");
    }
    const list = Array.from(signals);
    for (const s of list) {
      if (!isAbortSignal(s)) throw new TypeError("AbortSignal.any() needs AbortSignals, got " + describeType(s));
    }
    const result = new AbortSignal(NEW_SIGNAL);
    const aborted = list.find((s) => s.#aborted);
    if (aborted) {
      result.#aborted = true;
      result.#reason = aborted.#reason;
      return result;
    }
    result.#sources = new Set();
    for (const s of list) {
      // A signal of any() is never a source: its own sources are, so that chains stay one level deep.
      for (const source of s.#sources || [s]) {
        if (result.#sources.has(source)) continue;
        result.#sources.add(source);
        source.#follow(result);
      }
    }
    return result;
  }

  #follow(dependent) {
    if (!this.#dependents) this.#dependents = new Set();
    if (this.#dependents.size >= this.#pruneAt) {
      for (const ref of this.#dependents) {
        if (!ref.deref()) this.#dependents.delete(ref);
      }
      this.#pruneAt = Math.max(64, this.#dependents.size * 2);
    }
    this.#dependents.add(new WeakRef(dependent));
  }

  /** For a signal of any(): held while aborting would still do something, let go otherwise. */
  #pin() {
    if (this.#sources && !this.#aborted && (listenerCount(this, "abort") > 0 || this.#algorithms.size > 0)) {
      pinnedSignals.add(this);
    } else {
      pinnedSignals.delete(this);
    }
  }

  #signalAbort(reason) {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? abortError() : reason;
    const following = [];
    if (this.#dependents) {
      for (const ref of this.#dependents) {
        const dependent = ref.deref();
        if (dependent && !dependent.#aborted) {
          dependent.#aborted = true;
          dependent.#reason = this.#reason;
          following.push(dependent);
        }
      }
      this.#dependents = null;
    }
    this.#runAbortSteps();
    for (const dependent of following) dependent.#runAbortSteps();
  }

  #runAbortSteps() {
    const algorithms = Array.from(this.#algorithms);
    this.#algorithms.clear();
    for (const algorithm of algorithms) guarded(algorithm, []);
    const event = new Event("abort");
    const state = eventState(event);
    state.trusted = true;
    dispatch(this, event, state);
    if (this.#sources) {
      pinnedSignals.delete(this);
      this.#sources = null;
    }
  }
}

function abortError() {
  return new DOMException("The operation was aborted", "AbortError");
}

function isAbortSignal(value) {
  return abortAlgorithms(value) !== undefined;
}

/** Runs fn (guarded) when signal aborts, before its abort event; returns the function that cancels that. */
function onAbort(signal, fn) {
  const algorithms = abortAlgorithms(signal);
  if (!algorithms) throw new TypeError("onAbort() needs an AbortSignal");
  if (signal.aborted) return () => { };
  const step = () => fn();
  algorithms.add(step);
  abortListenersChanged(signal);
  return () => {
    if (algorithms.delete(step)) abortListenersChanged(signal);
  };
}

/** Makes a signal and aborts it: `controller.abort(reason)` (an AbortError DOMException when reason is undefined). */
class AbortController {
  #signal = new AbortSignal(NEW_SIGNAL);
  get signal() { return this.#signal; }
  abort(reason = undefined) {
    abortSteps(this.#signal, reason);
  }
}

// WebIDL's class strings: Object.prototype.toString gives "[object AbortSignal]" and so on.
for (const type of [DOMException, Event, EventTarget, AbortSignal, AbortController]) {
  Object.defineProperty(type.prototype, Symbol.toStringTag, { value: type.name, configurable: true });
}
