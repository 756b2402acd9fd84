// runtime:net: Forge's helpers (fetch with the whole body as text, fetchBytes, fetchJson, postJson,
// fetchStream), on the standard fetch of 075-fetch.js, so that they share its permission checks,
// redirects and errors; and Forge's WebSocket client `ws` (WebSocketOps.java).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function netFetch(url, opts) {
  opts = opts == null ? {} : opts;
  return fetch(url, { method: opts.method, headers: opts.headers, body: opts.body, signal: opts.signal });
}

function headerObject(headers) {
  const out = {};
  for (const [name, value] of headers) out[name] = value;
  return out;
}

/** Forge's response shape: the head, headers as a plain object, and the body as read by `read`. */
async function netRequest(url, opts, read) {
  const response = await netFetch(url, opts);
  return {
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    headers: headerObject(response.headers),
    body: await read(response),
  };
}

/** An id as Forge gives it (a bigint; a number is taken too) as the text Java and the maps use. */
function netId(id, fn) {
  if (typeof id === "bigint" || typeof id === "number") return String(id);
  throw new TypeError(fn + "() needs an id as given by " + (fn.startsWith("ws.") ? "ws.connect()" : "fetchStream()")
    + ", got " + (id === null ? "null" : typeof id));
}

// ---- fetchStream: the response's head now, its body chunk by chunk (readChunk, Kiln's addition) ----

const fetchStreams = new Map(); // id text -> { reader, tail }: the body's reader, and the last read (reads take turns)
let lastFetchStream = 0;

async function fetchStream(url, opts = {}) {
  const response = await netFetch(url, opts);
  const id = ++lastFetchStream;
  fetchStreams.set(String(id), { reader: response.body.getReader(), tail: Promise.resolve() });
  return {
    id: BigInt(id),
    status: response.status,
    statusText: response.statusText,
    headers: headerObject(response.headers),
    url: response.url,
    ok: response.ok,
  };
}

/** The stream `id`'s entry; undefined for one that has ended or was closed; 7030 for an id never given. */
function fetchStreamEntry(id, fn) {
  const key = netId(id, fn);
  const entry = fetchStreams.get(key);
  if (entry === undefined && !(/^[1-9][0-9]*$/.test(key) && Number(key) <= lastFetchStream)) {
    throw kilnError(@E_NETWORK_FAILED@, "[@E_NETWORK_FAILED@] No fetchStream has id " + key);
  }
  return [key, entry];
}

function readChunk(id) {
  let key, entry;
  try {
    [key, entry] = fetchStreamEntry(id, "readChunk");
  } catch (e) {
    return Promise.reject(e);
  }
  if (entry === undefined) return Promise.resolve({ done: true });
  const read = entry.tail.then(() => entry.reader.read());
  entry.tail = read.then(() => undefined, () => undefined);
  return read.then(({ value, done }) => {
    if (!done) return { done: false, data: value };
    fetchStreams.delete(key);
    return { done: true };
  }, (e) => {
    fetchStreams.delete(key);
    throw e;
  });
}

async function closeStream(id) {
  const [key, entry] = fetchStreamEntry(id, "closeStream");
  if (entry === undefined) return;
  fetchStreams.delete(key);
  await entry.tail;
  await entry.reader.cancel();
}

// ---- ws: Forge's WebSocket client ----

const WS_TYPES = ["text", "binary", "ping", "pong", "close"];

function wsBytes(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) return Uint8Array.from(data); // Forge's raw form
  throw new TypeError("ws.send(): binary must be a Uint8Array, got " + (data === null ? "null" : typeof data));
}

/** A message as Java gives it ({type, data?, ticket?, code?}) as Forge's. */
function wsMessage(raw) {
  if (raw == null) return null;
  const message = { type: raw.type };
  if (raw.data !== undefined) message.data = raw.data;
  if (raw.ticket !== undefined) message.binary = takeBytes(raw.ticket);
  if (raw.code !== undefined) message.code = raw.code;
  return message;
}

const ws = {
  async connect(url, opts = {}) {
    const u = String(url !== null && typeof url === "object" && "href" in url ? url.href : url);
    if (!/^wss?:\/\/[^/?#]/i.test(u)) throw new TypeError("ws.connect() needs an absolute ws:// or wss:// URL, got '" + u + "'");
    opts = opts == null ? {} : opts;
    if (typeof opts !== "object") throw new TypeError("ws.connect() takes an options object { headers?, protocols? }");
    if (opts.protocols != null && !Array.isArray(opts.protocols)) throw new TypeError("ws.connect(): protocols must be an array of strings");
    const headers = opts.headers == null ? [] : Headers.pairs(new Headers(opts.headers));
    const protocols = (opts.protocols || []).map(String);
    const raw = await javaPromise((id) => ops.@OP_WS_CONNECT@(id, u, JSON.stringify({ headers, protocols })));
    return { id: BigInt(raw.id), url: raw.url, protocol: raw.protocol };
  },
  send(id, message) {
    return javaPromise((p) => {
      const key = netId(id, "ws.send");
      if (message === null || typeof message !== "object") throw new TypeError("ws.send() takes a message { type, data?, binary? }");
      const type = String(message.type);
      if (!WS_TYPES.includes(type)) {
        throw new TypeError("ws.send(): type must be \"text\", \"binary\", \"ping\", \"pong\" or \"close\", got '" + type + "'");
      }
      ops.@OP_WS_SEND@(p, key, type, message.data == null ? "" : String(message.data),
        message.binary == null ? null : wsBytes(message.binary));
    });
  },
  sendText: (id, text) => ws.send(id, { type: "text", data: text }),
  sendBinary: (id, data) => ws.send(id, { type: "binary", binary: data }),
  recv: (id) => javaPromise((p) => ops.@OP_WS_RECV@(p, netId(id, "ws.recv")), wsMessage),
  close: (id) => javaPromise((p) => ops.@OP_WS_CLOSE@(p, netId(id, "ws.close"))),
  /** Each message until the connection closes (the server's close ends it; it is not yielded). */
  async *messages(id) {
    for (;;) {
      const message = await ws.recv(id);
      if (message === null || message.type === "close") return;
      yield message;
    }
  },
};

runtimeModules.net = Object.freeze({
  fetch: (url, opts = {}) => netRequest(url, opts, (r) => r.text()),
  fetchBytes: (url, opts = {}) => netRequest(url, opts, (r) => r.bytes()),
  async fetchJson(url, opts = {}) {
    opts = opts == null ? {} : opts;
    const response = await netRequest(url, { ...opts, headers: { Accept: "application/json", ...opts.headers } }, (r) => r.text());
    if (!response.ok) throw new Error("HTTP error " + response.status + ": " + response.statusText);
    return JSON.parse(response.body);
  },
  postJson(url, data, opts = {}) {
    opts = opts == null ? {} : opts;
    return netRequest(url, {
      ...opts,
      method: "POST",
      headers: { "Content-Type": "application/json", ...opts.headers },
      body: JSON.stringify(data),
    }, (r) => r.text());
  },
  fetchStream,
  readChunk,
  closeStream,
  ws: Object.freeze(ws),
  // Forge's older names
  connectWebSocket: ws.connect,
  sendWebSocket: ws.send,
  recvWebSocket: ws.recv,
  closeWebSocket: ws.close,
});
