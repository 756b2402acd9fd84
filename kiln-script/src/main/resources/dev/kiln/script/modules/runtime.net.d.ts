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

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    fetch: typeof fetch; fetchBytes: typeof fetchBytes;
    // Forge's wsConnect, wsSend, wsRecv, wsClose and fetchStream belong here once runtime:net has them.
  }
}
