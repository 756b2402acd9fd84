// The fetch global (WHATWG Fetch as Deno has it) and runtime:net. Hosts need [permissions.net] allow.

type HeadersInit = Headers | [string, string][] | Record<string, string>;
type BodyInit = string | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;

/** Case-insensitive HTTP headers; iteration is sorted by name, with repeated values joined by ", ". */
declare class Headers {
  constructor(init?: HeadersInit);
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  getSetCookie(): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

interface ReadableStreamReadResult<T> {
  done: boolean;
  value: T | undefined;
}

interface ReadableStreamDefaultController<T> {
  enqueue(chunk: T): void;
  close(): void;
  error(reason?: unknown): void;
  readonly desiredSize: number | null;
}

interface UnderlyingSource<T> {
  start?(controller: ReadableStreamDefaultController<T>): void | Promise<void>;
  pull?(controller: ReadableStreamDefaultController<T>): void | Promise<void>;
  cancel?(reason?: unknown): void | Promise<void>;
}

/** A stream of chunks read one at a time (Kiln's has the default reader and async iteration). */
declare class ReadableStream<T = Uint8Array> {
  constructor(source?: UnderlyingSource<T>);
  readonly locked: boolean;
  getReader(): ReadableStreamDefaultReader<T>;
  cancel(reason?: unknown): Promise<void>;
  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<T>;
  [Symbol.asyncIterator](options?: { preventCancel?: boolean }): AsyncIterableIterator<T>;
}

declare class ReadableStreamDefaultReader<T = Uint8Array> {
  read(): Promise<ReadableStreamReadResult<T>>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

interface Body {
  /** The body as a stream of Uint8Array chunks, as they arrive; null for a response without one. */
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json(): Promise<any>;
}

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  /** "follow" (the default, up to 20 redirects, each host checked), "manual" (the 3xx response itself) or "error". */
  redirect?: "follow" | "manual" | "error";
  signal?: AbortSignal | null;
}

declare class Request implements Body {
  constructor(input: string | Request | { href: string }, init?: RequestInit);
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  readonly redirect: "follow" | "manual" | "error";
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json(): Promise<any>;
  clone(): Request;
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

declare class Response implements Body {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  static json(data: unknown, init?: ResponseInit): Response;
  static error(): Response;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Headers;
  readonly url: string;
  readonly redirected: boolean;
  readonly type: "basic" | "default" | "error";
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json(): Promise<any>;
  /** Only for responses made with new Response(); a fetched response's body is read once. */
  clone(): Response;
}

/**
 * An HTTP request over Java's HTTP client. Rejects with 7020 when [permissions.net] does not allow
 * the host (or a redirect's), 7030 when no response came (connection, TLS, redirects), the signal's
 * reason when aborted, and a TypeError for a bad URL, method, header or body.
 */
declare function fetch(input: string | Request | { href: string }, init?: RequestInit): Promise<Response>;

declare module "runtime:net" {
  export interface FetchOptions {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Kiln addition: aborts the request. */
    signal?: AbortSignal;
  }
  export interface FetchResponse {
    ok: boolean;
    status: number;
    statusText: string;
    /** Lower-case names; repeated headers joined by ", ". */
    headers: Record<string, string>;
    body: string;
  }
  export interface FetchBytesResponse {
    ok: boolean;
    status: number;
    statusText: string;
    headers: Record<string, string>;
    body: Uint8Array;
  }
  /** The whole response, its body as text. */
  export function fetch(url: string, opts?: FetchOptions): Promise<FetchResponse>;
  export function fetchBytes(url: string, opts?: FetchOptions): Promise<FetchBytesResponse>;
  /** GETs JSON (Accept: application/json); a status outside 200-299 rejects with "HTTP error <status>: <text>". */
  export function fetchJson<T = unknown>(url: string, opts?: FetchOptions): Promise<T>;
  /** POSTs `data` as JSON. */
  export function postJson<T = unknown>(url: string, data: unknown, opts?: FetchOptions): Promise<FetchResponse>;

  /** The head of a response whose body is read with readChunk(id). */
  export interface StreamResponse {
    /** Forge's ids are bigint; Kiln's functions take a number too. */
    id: bigint;
    status: number;
    statusText: string;
    headers: Record<string, string>;
    url: string;
    ok: boolean;
  }
  /** Kiln addition: one piece of a fetchStream body, as it arrived; `done` once the body has ended. */
  export interface StreamChunk {
    done: boolean;
    data?: Uint8Array;
  }
  /** Starts a request and resolves with the head; read the body with readChunk(id). */
  export function fetchStream(url: string, opts?: FetchOptions): Promise<StreamResponse>;
  /**
   * Kiln addition: the next chunk of a fetchStream body (up to 64 KiB, as it arrived), or
   * `{ done: true }` at its end and after it. Rejects with 7030 if the body cannot be read or no
   * fetchStream gave the id.
   */
  export function readChunk(id: bigint | number): Promise<StreamChunk>;
  /** Kiln addition: stops reading a fetchStream body and closes its connection. */
  export function closeStream(id: bigint | number): Promise<void>;

  export interface WebSocketConnectOptions {
    headers?: Record<string, string>;
    /** Subprotocols to offer, most preferred first; the server's choice is `protocol`. */
    protocols?: string[];
  }
  export interface WebSocketConnection {
    /** Forge's ids are bigint; Kiln's functions take a number too. */
    id: bigint;
    url: string;
    /** The subprotocol the server chose, or null. */
    protocol: string | null;
  }
  export interface WebSocketMessage {
    type: "text" | "binary" | "ping" | "pong" | "close";
    /** A text message; the reason of a close. */
    data?: string;
    /** A binary message; the data of a ping or pong. */
    binary?: Uint8Array;
    /** Kiln addition: the status code of the server's close (1000 for a normal one). */
    code?: number;
  }
  export const ws: {
    /** Opens a connection (ws:// or wss://; the host must be allowed by [permissions.net], else 7020; 7030 when it fails). */
    connect(url: string, opts?: WebSocketConnectOptions): Promise<WebSocketConnection>;
    /** Sends a message (text in `data`, binary in `binary`; ping and pong take either; close sends status 1000). */
    send(id: bigint | number, message: WebSocketMessage): Promise<void>;
    sendText(id: bigint | number, text: string): Promise<void>;
    sendBinary(id: bigint | number, data: Uint8Array): Promise<void>;
    /** The next message, in order; the server's close comes as a "close" message, then null. */
    recv(id: bigint | number): Promise<WebSocketMessage | null>;
    /** Closes the connection (status 1000); its id is then unknown (7030). */
    close(id: bigint | number): Promise<void>;
    /** Each message until the connection closes. */
    messages(id: bigint | number): AsyncGenerator<WebSocketMessage, void, unknown>;
  };
  /** Forge's older names for ws.connect, ws.send, ws.recv and ws.close. */
  export const connectWebSocket: typeof ws.connect;
  export const sendWebSocket: typeof ws.send;
  export const recvWebSocket: typeof ws.recv;
  export const closeWebSocket: typeof ws.close;

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    fetch: typeof fetch; fetchBytes: typeof fetchBytes; fetchStream: typeof fetchStream;
    wsConnect: typeof ws.connect; wsSend: typeof ws.send; wsRecv: typeof ws.recv; wsClose: typeof ws.close;
  }
}
