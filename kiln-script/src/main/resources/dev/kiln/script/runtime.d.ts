// Type declarations for Kiln's runtime modules, written by `./kiln types <app-dir>`.
// An editor picks them up when this file is part of the TypeScript project, for example through
// the app's tsconfig.json: "include": ["src", "types"].

// ---- Globals of Kiln's script host (the tsconfig written next to this file uses lib ES2022, no DOM) ----

interface Console {
  log(...data: any[]): void;
  info(...data: any[]): void;
  debug(...data: any[]): void;
  /** Written to stderr. */
  warn(...data: any[]): void;
  /** Written to stderr. */
  error(...data: any[]): void;
  trace(...data: any[]): void;
  assert(condition?: boolean, ...data: any[]): void;
  dir(item?: any): void;
  table(...data: any[]): void;
  count(label?: string): void;
  countReset(label?: string): void;
  time(label?: string): void;
  timeLog(label?: string, ...data: any[]): void;
  timeEnd(label?: string): void;
  group(...data: any[]): void;
  groupEnd(): void;
}
declare var console: Console;

declare function setTimeout(callback: (...args: any[]) => void, delay?: number, ...args: any[]): number;
declare function setInterval(callback: (...args: any[]) => void, delay?: number, ...args: any[]): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(callback: () => void): void;

declare class TextEncoder {
  readonly encoding: "utf-8";
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: "utf-8";
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBuffer | ArrayBufferView): string;
}

declare module "runtime:ipc" {
  /** Event received from a renderer, or a window system event. */
  export interface IpcEvent {
    /** Window ID that sent the event */
    windowId: string;
    /** Channel name for the event */
    channel: string;
    /** Event payload data */
    payload: unknown;
    /** Event type for window system events */
    type?: "close" | "focus" | "blur" | "resize" | "move" | "navigation";
  }

  /** Callback for all IPC events */
  export type IpcEventCallback = (event: IpcEvent) => void;

  /** Callback for channel-specific handlers */
  export type ChannelCallback = (payload: unknown, windowId: string) => void;

  /**
   * The errors of runtime:ipc and runtime:window: an IpcError whose message starts with the code,
   * such as "[7002] Window not found: main".
   * 7000 ChannelSend, 7001 ChannelRecv, 7002 WindowNotFound, 7003 Serialization, 7004 PermissionDenied,
   * 7006 NoHandler, 7007 Timeout, 7008 Cancelled, 7009 HandlerFailed.
   */
  export interface KilnError extends IpcError {
    code: 7000 | 7001 | 7002 | 7003 | 7004 | 7006 | 7007 | 7008 | 7009;
    /** For a broadcast that missed some windows: each unreachable window with its error message. */
    failures?: Record<string, string>;
  }

  /**
   * An error that crosses a call whole: a handler throws one to reject its caller with the same code,
   * message and data (stacks do not cross). Calls reject with IpcErrors only: the other side's own,
   * or Kiln's (a KilnError, code 7000-7009). A handler's error without a code of its own reaches the
   * caller as 7009 HandlerFailed with its message, and its stack is printed on the app's stderr.
   */
  export class IpcError extends Error {
    constructor(code: string | number, message: string, data?: unknown);
    code: string | number;
    data?: unknown;
  }

  /** What a call's handler knows about the call. */
  export interface InvokeContext {
    /** The calling window, as Kiln knows it (never taken from the payload). */
    windowId: string;
    /** Aborted when the caller cancels, its deadline passes, or its page goes away (reload, navigation, close). */
    signal: AbortSignal;
    /** When the caller stops waiting (epoch ms), if it gave a timeout. */
    deadline?: number;
  }

  /**
   * Answer the pages' `window.runtime.invoke(channel, payload)` calls on a channel. The handler's
   * return value (or its promise's) is the result, `undefined` included; what it throws rejects the
   * caller (see IpcError). One handler per channel: a second one throws 7000 until the first is
   * removed by the function returned (calling it twice is harmless). A call that arrives before its
   * channel has a handler waits up to a second for one, then fails with 7006. Denied channels (the
   * manifest's, the window's list) fail with 7004 without reaching the handler. Calls are not
   * events: no stream or callback sees them.
   */
  export function handle(channel: string,
    handler: (payload: any, ctx: InvokeContext) => unknown | Promise<unknown>): () => void;

  /**
   * Call the handler a window's page registered with `window.runtime.handle(channel, ...)`, and
   * resolve with its result. `timeout` rejects with 7007 when it passes and aborts the page
   * handler's signal; `signal` does the same with 7008 when aborted. A call made before the page is
   * ready waits for it (keeping its deadline); a call the page had when it went away (reload,
   * navigation, close) rejects with 7002 at once. Other rejections: 7000 bad arguments, 7002 unknown
   * window, 7003 payload refused (sendToWindow's rules), 7004 channel denied, 7006 no handler in the
   * page, 7009 the page's handler failed, or the page handler's own IpcError.
   */
  export function invokeWindow(windowId: string, channel: string, payload?: unknown,
    options?: { timeout?: number; signal?: AbortSignal }): Promise<any>;

  /**
   * Send a message to a specific window's renderer, received by `window.runtime.on(channel, ...)`.
   * Resolves once the window's page has taken the message (its listeners ran); pending while the
   * page is not ready or busy. Rejects with a KilnError: 7000 bad channel, a window id that is not
   * a string, or shut down; 7002 unknown window, or closed before its page took the message; 7003
   * payload refused (see below) or larger than the limit in UTF-8 bytes; 7004 channel denied.
   *
   * The payload is what JSON.stringify makes of it (toJSON honoured, so a Date becomes its ISO
   * string; an undefined property is left out; undefined in an array becomes null; no payload is
   * null), except that values JSON would silently corrupt are refused with 7003 naming where they
   * sit ("payload.items is a Map, which JSON would write as {}"): functions, symbols, BigInt, Map, Set, WeakMap, WeakSet,
   * Promise, NaN and Infinity, ArrayBuffer and typed arrays, cycles, nesting deeper than 512.
   */
  export function sendToWindow(windowId: string, channel: string, payload?: unknown): Promise<void>;

  /**
   * Send one message to several windows; rejects naming every window it could not reach (7002 with
   * `failures`), or with 7000 if the list is not an iterable of strings. Payload rules as sendToWindow's.
   */
  export function broadcast(windowIds: string[], channel: string, payload?: unknown): Promise<void>;

  /** Async generator of every window event; `break` ends the subscription. Ends when the runtime shuts down. */
  export function windowEvents(): AsyncGenerator<IpcEvent, void, unknown>;

  /** The events of one window. */
  export function windowEventsFor(windowId: string): AsyncGenerator<IpcEvent, void, unknown>;

  /** The events on one channel, from every window. */
  export function channelEvents(channel: string): AsyncGenerator<IpcEvent, void, unknown>;

  /** Register a callback for all IPC events. Returns an unsubscribe function. */
  export function onEvent(callback: IpcEventCallback): () => void;

  /** Register a callback for events on a specific channel. Returns an unsubscribe function. */
  export function onChannel(channel: string, callback: ChannelCallback): () => void;

  /** Receive the next event. Resolves with `null` when the runtime has shut down. */
  export function recvWindowEvent(): Promise<IpcEvent | null>;
}

declare module "runtime:window" {
  import type { IpcEvent } from "runtime:ipc";

  /** Options of createWindow; what is left out comes from the manifest's [windows] table. */
  export interface WindowOptions {
    /** The window's id in runtime:ipc, such as "main"; generated when left out. */
    id?: string;
    /** The page to load; default "app://index.html", served from the app's web/ folder. */
    url?: string;
    title?: string;
    width?: number;
    height?: number;
    x?: number;
    y?: number;
    resizable?: boolean;
    visible?: boolean;
    alwaysOnTop?: boolean;
    minWidth?: number;
    minHeight?: number;
    maxWidth?: number;
    maxHeight?: number;
    /** The window's own channel allow list, replacing the manifest's allowed list for it. */
    channels?: string[];
  }

  export interface Size {
    width: number;
    height: number;
  }

  export interface Position {
    x: number;
    y: number;
  }

  /**
   * A native window with a WebView. Methods never block; getters return the latest known state.
   * Once the window has closed, getters keep returning its last state and the other methods do nothing.
   */
  export interface AppWindow {
    readonly id: string;
    /** Closes the window as if the user had; a "close" event is emitted. */
    close(): void;
    isClosed(): boolean;
    setTitle(title: string): void;
    getTitle(): string;
    setSize(width: number, height: number): void;
    getSize(): Size;
    setPosition(x: number, y: number): void;
    getPosition(): Position;
    focus(): void;
    show(): void;
    hide(): void;
    isVisible(): boolean;
    isFocused(): boolean;
    /** This window's events; ends when the window closes (at once for a closed window). */
    events(): AsyncGenerator<IpcEvent, void, unknown>;
  }

  /**
   * Opens a window; resolves once it is shown and attached (its page may still be loading).
   * Rejects with a KilnError 7000 for an id already open, an option of the wrong type, or after
   * the runtime has shut down.
   */
  export function createWindow(options?: WindowOptions): Promise<AppWindow>;

  /** Closes a window by id; throws a KilnError with code 7002 for an unknown id. */
  export function closeWindow(id: string): void;
}
