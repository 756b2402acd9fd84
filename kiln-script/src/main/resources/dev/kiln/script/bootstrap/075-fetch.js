// fetch and the classes it speaks in (Headers, Request, Response, a ReadableStream for bodies), as the
// WHATWG Fetch standard has them in Deno; the requests go out through Java's HTTP client (NetOps.java).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

/** A BytesOps ticket (or null) as the Uint8Array Java parked under it. */
function takeBytes(ticket) {
  return ticket == null ? null : ops.@OP_TAKE@(Number(ticket));
}

// ---- ReadableStream (the part bodies need: a default reader, async iteration, cancel) ----

const STREAM_READ = Symbol("read");
const STREAM_CANCEL = Symbol("cancel");

class ReadableStream {
  #source;
  #queue = [];
  #state = "readable";
  #error;
  #locked = false;
  #wake = null;
  #started;
  #controller;
  constructor(source = {}, strategy = undefined) {
    if (source === null || typeof source !== "object") throw new TypeError("ReadableStream() takes an underlying source object");
    this.#source = source;
    const wake = () => {
      const w = this.#wake;
      this.#wake = null;
      if (w) w();
    };
    this.#controller = Object.freeze({
      enqueue: (chunk) => {
        if (this.#state !== "readable") throw new TypeError("The stream is closed");
        this.#queue.push(chunk);
        wake();
      },
      close: () => {
        if (this.#state === "readable") this.#state = "closed";
        wake();
      },
      error: (e) => {
        if (this.#state !== "readable") return;
        this.#state = "errored";
        this.#error = e;
        this.#queue.length = 0;
        wake();
      },
      get desiredSize() { return 1; },
    });
    this.#started = Promise.resolve(typeof source.start === "function" ? source.start(this.#controller) : undefined);
  }
  get locked() { return this.#locked; }
  getReader(options = undefined) {
    if (options && options.mode !== undefined) throw new TypeError("Kiln's ReadableStream has only the default reader");
    if (this.#locked) throw new TypeError("The stream is locked to a reader");
    this.#locked = true;
    return new ReadableStreamDefaultReader(this, () => { this.#locked = false; });
  }
  cancel(reason = undefined) {
    if (this.#locked) return Promise.reject(new TypeError("The stream is locked to a reader"));
    return this[STREAM_CANCEL](reason);
  }
  async [STREAM_CANCEL](reason) {
    if (this.#state !== "readable") return;
    this.#state = "closed";
    this.#queue.length = 0;
    if (typeof this.#source.cancel === "function") await this.#source.cancel(reason);
  }
  async [STREAM_READ]() {
    await this.#started;
    for (;;) {
      if (this.#queue.length > 0) return { value: this.#queue.shift(), done: false };
      if (this.#state === "closed") return { value: undefined, done: true };
      if (this.#state === "errored") throw this.#error;
      const woken = new Promise((resolve) => { this.#wake = resolve; });
      if (typeof this.#source.pull === "function") {
        try {
          await this.#source.pull(this.#controller);
        } catch (e) {
          this.#controller.error(e);
        }
        this.#wake = null;
      } else {
        await woken;
      }
    }
  }
  async *values(options = undefined) {
    const reader = this.getReader();
    let finished = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } finally {
      if (!finished && !(options && options.preventCancel)) await this[STREAM_CANCEL](undefined);
      reader.releaseLock();
    }
  }
  [Symbol.asyncIterator](options = undefined) { return this.values(options); }
}

class ReadableStreamDefaultReader {
  #stream;
  #release;
  constructor(stream, release) {
    if (!(stream instanceof ReadableStream) || typeof release !== "function") {
      throw new TypeError("Use stream.getReader() to get a reader");
    }
    this.#stream = stream;
    this.#release = release;
  }
  read() {
    if (!this.#stream) return Promise.reject(new TypeError("The reader has been released"));
    return this.#stream[STREAM_READ]();
  }
  cancel(reason = undefined) {
    if (!this.#stream) return Promise.reject(new TypeError("The reader has been released"));
    return this.#stream[STREAM_CANCEL](reason);
  }
  releaseLock() {
    if (!this.#stream) return;
    this.#stream = null;
    this.#release();
  }
}

// ---- Headers ----

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function headerName(name) {
  const n = String(name);
  if (!HEADER_NAME.test(n)) throw new TypeError("Invalid header name: '" + n + "'");
  return n.toLowerCase();
}

function headerValue(value) {
  const v = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  if (/[\0\r\n]/.test(v)) throw new TypeError("Invalid header value: it contains a NUL, CR or LF character");
  return v;
}

class Headers {
  #list = []; // [lowercase name, value] in insertion order
  constructor(init = undefined) {
    if (init == null) return;
    if (init instanceof Headers) {
      for (const [n, v] of init.#list) this.#list.push([n, v]);
    } else if (typeof init === "object" && typeof init[Symbol.iterator] === "function") {
      for (const pair of init) {
        const p = Array.from(pair);
        if (p.length !== 2) throw new TypeError("Headers() takes pairs of name and value");
        this.append(p[0], p[1]);
      }
    } else if (typeof init === "object") {
      for (const key of Object.keys(init)) this.append(key, init[key]);
    } else {
      throw new TypeError("Headers() takes an object, a list of pairs or Headers");
    }
  }
  append(name, value) { this.#list.push([headerName(name), headerValue(value)]); }
  delete(name) {
    const n = headerName(name);
    this.#list = this.#list.filter((h) => h[0] !== n);
  }
  get(name) {
    const n = headerName(name);
    const values = this.#list.filter((h) => h[0] === n).map((h) => h[1]);
    return values.length === 0 ? null : values.join(", ");
  }
  getSetCookie() { return this.#list.filter((h) => h[0] === "set-cookie").map((h) => h[1]); }
  has(name) {
    const n = headerName(name);
    return this.#list.some((h) => h[0] === n);
  }
  set(name, value) {
    const n = headerName(name);
    const v = headerValue(value);
    const i = this.#list.findIndex((h) => h[0] === n);
    this.#list = this.#list.filter((h, j) => h[0] !== n || j === i);
    if (i < 0) this.#list.push([n, v]);
    else this.#list[this.#list.findIndex((h) => h[0] === n)][1] = v;
  }
  forEach(callback, thisArg = undefined) {
    for (const [n, v] of this) callback.call(thisArg, v, n, this);
  }
  *entries() {
    const names = [...new Set(this.#list.map((h) => h[0]))].sort();
    for (const n of names) {
      if (n === "set-cookie") {
        for (const v of this.getSetCookie()) yield [n, v];
      } else {
        yield [n, this.get(n)];
      }
    }
  }
  *keys() { for (const [n] of this.entries()) yield n; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
  /** The raw pairs, for NetOps. */
  static pairs(headers) { return headers.#list.map((h) => [h[0], h[1]]); }
}

// ---- bodies ----

const BODY = Symbol("body"); // { bytes: Uint8Array | null, stream: ReadableStream | null, fetchId, used }

function copyBytes(view) {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

/** A body init as its bytes (or a stream) and its default content type. */
function extractBody(init) {
  if (init == null) return [{ bytes: null, stream: null, fetchId: 0, used: false }, null];
  if (typeof init === "string") {
    return [{ bytes: new TextEncoder().encode(init), stream: null, fetchId: 0, used: false }, "text/plain;charset=UTF-8"];
  }
  if (init instanceof ArrayBuffer) return [{ bytes: new Uint8Array(init.slice(0)), stream: null, fetchId: 0, used: false }, null];
  if (ArrayBuffer.isView(init)) return [{ bytes: copyBytes(init), stream: null, fetchId: 0, used: false }, null];
  if (init instanceof ReadableStream) return [{ bytes: null, stream: init, fetchId: 0, used: false }, null];
  if (typeof URLSearchParams === "function" && init instanceof URLSearchParams) {
    return [{ bytes: new TextEncoder().encode(String(init)), stream: null, fetchId: 0, used: false },
      "application/x-www-form-urlencoded;charset=UTF-8"];
  }
  return [{ bytes: new TextEncoder().encode(String(init)), stream: null, fetchId: 0, used: false }, "text/plain;charset=UTF-8"];
}

/** The stream of a response body that Java holds: one chunk per read, asked for when the reader wants it. */
function javaBodyStream(state) {
  return new ReadableStream({
    async pull(controller) {
      let chunk;
      try {
        chunk = takeBytes(await javaPromise((id) => ops.@OP_NET_READ@(id, state.fetchId, false)));
      } finally {
        if (state.aborted !== null) controller.error(state.aborted);
      }
      if (state.aborted !== null) return;
      if (chunk == null) {
        controller.close();
        state.onEnd();
      } else {
        controller.enqueue(chunk);
      }
    },
    cancel() {
      ops.@OP_NET_CANCEL@(state.fetchId);
      state.onEnd();
    },
  });
}

function bodyStream(state) {
  if (state.stream === null) {
    if (state.fetchId !== 0) {
      state.stream = javaBodyStream(state);
    } else if (state.bytes !== null) {
      const bytes = state.bytes;
      state.stream = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
    }
  }
  return state.stream;
}

async function consumeBody(owner) {
  const state = owner[BODY];
  if (state.used) throw new TypeError("The body has already been read");
  if (state.stream !== null && state.stream.locked) throw new TypeError("The body is locked to a reader");
  state.used = true;
  if (state.stream === null && state.fetchId !== 0) {
    // Not yet read as a stream: the whole body in one crossing.
    let all;
    try {
      all = takeBytes(await javaPromise((id) => ops.@OP_NET_READ@(id, state.fetchId, true)));
    } finally {
      state.onEnd();
    }
    if (state.aborted !== null) throw state.aborted;
    return all == null ? new Uint8Array(0) : all;
  }
  if (state.stream === null) return state.bytes === null ? new Uint8Array(0) : state.bytes;
  const chunks = [];
  let size = 0;
  for await (const chunk of state.stream) {
    const bytes = chunk instanceof Uint8Array ? chunk : ArrayBuffer.isView(chunk) ? copyBytes(chunk)
      : chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : null;
    if (bytes === null) throw new TypeError("A body stream must give Uint8Array chunks");
    chunks.push(bytes);
    size += bytes.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const bodyMethods = {
  get body() { return bodyStream(this[BODY]); },
  get bodyUsed() { return this[BODY].used || (this[BODY].stream !== null && this[BODY].stream.locked); },
  async arrayBuffer() {
    const b = await consumeBody(this);
    return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer;
  },
  async bytes() { return consumeBody(this); },
  async text() { return new TextDecoder().decode(await consumeBody(this)); },
  async json() { return JSON.parse(new TextDecoder().decode(await consumeBody(this))); },
};

function addBodyMethods(cls) {
  for (const key of Object.keys(Object.getOwnPropertyDescriptors(bodyMethods))) {
    Object.defineProperty(cls.prototype, key, Object.getOwnPropertyDescriptor(bodyMethods, key));
  }
}

// ---- Request ----

const METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

class Request {
  #url;
  #method;
  #headers;
  #signal;
  #redirect;
  constructor(input, init = {}) {
    init = init == null ? {} : init;
    const from = input instanceof Request ? input : null;
    this.#url = from ? from.url : String(input instanceof Object && "href" in input ? input.href : input);
    if (!/^https?:\/\/[^/?#]/i.test(this.#url)) {
      throw new TypeError("fetch() needs an absolute http or https URL, got '" + this.#url + "'");
    }
    const method = init.method !== undefined ? String(init.method) : from ? from.method : "GET";
    const upper = method.toUpperCase();
    this.#method = METHODS.includes(upper) ? upper : method;
    if (!HEADER_NAME.test(this.#method)) throw new TypeError("Invalid method '" + method + "'");
    this.#headers = new Headers(init.headers !== undefined ? init.headers : from ? from.headers : undefined);
    this.#redirect = init.redirect !== undefined ? String(init.redirect) : from ? from.redirect : "follow";
    if (!["follow", "manual", "error"].includes(this.#redirect)) {
      throw new TypeError("redirect must be \"follow\", \"manual\" or \"error\", got '" + this.#redirect + "'");
    }
    const signal = init.signal !== undefined ? init.signal : from ? from.signal : null;
    if (signal != null && !isAbortSignal(signal)) throw new TypeError("signal must be an AbortSignal");
    this.#signal = signal == null ? new AbortController().signal : signal;
    let state;
    if (init.body != null) {
      if (this.#method === "GET" || this.#method === "HEAD") throw new TypeError("A " + this.#method + " request cannot have a body");
      const [s, type] = extractBody(init.body);
      state = s;
      if (type !== null && !this.#headers.has("content-type")) this.#headers.set("content-type", type);
    } else if (from) {
      state = from[BODY];
      if (state.used) throw new TypeError("The request's body has already been read");
    } else {
      state = extractBody(null)[0];
    }
    Object.defineProperty(this, BODY, { value: state });
  }
  get url() { return this.#url; }
  get method() { return this.#method; }
  get headers() { return this.#headers; }
  get signal() { return this.#signal; }
  get redirect() { return this.#redirect; }
  clone() {
    if (this.bodyUsed) throw new TypeError("Cannot clone a request whose body has been read");
    return new Request(this);
  }
}
addBodyMethods(Request);

// ---- Response ----

const FROM_JAVA = Symbol("fromJava");

class Response {
  #status;
  #statusText;
  #headers;
  #url = "";
  #redirected = false;
  #type = "default";
  constructor(body = null, init = {}) {
    init = init == null ? {} : init;
    if (init[FROM_JAVA]) {
      const head = init[FROM_JAVA];
      this.#status = head.status;
      this.#statusText = head.statusText;
      this.#headers = new Headers(head.headers);
      this.#url = head.url;
      this.#redirected = head.redirected;
      this.#type = "basic";
      Object.defineProperty(this, BODY, { value: head.body });
      return;
    }
    const status = init.status === undefined ? 200 : Number(init.status);
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError("Response status must be a whole number from 200 to 599, got " + init.status);
    }
    this.#status = status;
    this.#statusText = init.statusText === undefined ? "" : String(init.statusText);
    this.#headers = new Headers(init.headers);
    if (body != null && (status === 204 || status === 205 || status === 304)) {
      throw new TypeError("A response with status " + status + " cannot have a body");
    }
    const [state, type] = extractBody(body);
    if (type !== null && !this.#headers.has("content-type")) this.#headers.set("content-type", type);
    Object.defineProperty(this, BODY, { value: state });
  }
  static json(data, init = {}) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Response.json() cannot serialize " + typeof data);
    const headers = new Headers(init && init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(text, { ...init, headers });
  }
  static error() {
    const r = new Response(null, { status: 200 });
    r.#status = 0;
    r.#type = "error";
    return r;
  }
  get status() { return this.#status; }
  get statusText() { return this.#statusText; }
  get ok() { return this.#status >= 200 && this.#status <= 299; }
  get headers() { return this.#headers; }
  get url() { return this.#url; }
  get redirected() { return this.#redirected; }
  get type() { return this.#type; }
  clone() {
    if (this.bodyUsed) throw new TypeError("Cannot clone a response whose body has been read");
    if (this[BODY].fetchId !== 0) throw new TypeError("Kiln cannot clone a fetched response; read its body once and make new Responses from it");
    const r = new Response(this[BODY].bytes, { status: this.#status === 0 ? 200 : this.#status, statusText: this.#statusText, headers: this.#headers });
    r.#url = this.#url;
    r.#redirected = this.#redirected;
    r.#type = this.#type;
    return r;
  }
}
addBodyMethods(Response);

// ---- fetch ----

let nextFetchId = 1;

async function fetch(input, init = undefined) {
  const request = new Request(input, init);
  const signal = request.signal;
  if (signal.aborted) throw signal.reason;
  const state = request[BODY];
  let body = null;
  if (state.stream !== null || state.bytes !== null) body = await consumeBody(request);
  if (signal.aborted) throw signal.reason;
  const fetchId = nextFetchId++;
  const json = JSON.stringify({
    method: request.method,
    url: request.url,
    headers: Headers.pairs(request.headers),
    redirect: request.redirect,
  });
  const bodyState = { bytes: null, stream: null, fetchId, used: false, aborted: null, onEnd: null };
  let headed = false;
  return new Promise((resolve, reject) => {
    // An abort before the head rejects the fetch; after it, the body's reads fail with the reason.
    const undo = onAbort(signal, () => {
      bodyState.aborted = signal.reason;
      ops.@OP_NET_CANCEL@(fetchId);
      if (!headed) reject(signal.reason);
    });
    bodyState.onEnd = undo;
    javaPromise((id) => ops.@OP_NET_FETCH@(id, fetchId, json, body)).then((head) => {
      headed = true;
      if (bodyState.aborted !== null) return;
      resolve(new Response(null, { [FROM_JAVA]: { ...head, body: bodyState } }));
    }, (e) => {
      headed = true;
      undo();
      if (bodyState.aborted === null) reject(withCode(e));
    });
  });
}
