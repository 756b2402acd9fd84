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
/** Base64 of a binary string (one character per byte); throws a DOMException "InvalidCharacterError" for a character above U+00FF. */
declare function btoa(data: string): string;
/** The binary string a Base64 text stands for; throws a DOMException "InvalidCharacterError" for invalid Base64. */
declare function atob(data: string): string;

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

/** An Error with a standard name, such as "AbortError" or "TimeoutError", and that name's legacy numeric code. */
declare class DOMException extends Error {
  constructor(message?: string, options?: string | { name?: string; cause?: unknown });
  readonly name: string;
  readonly message: string;
  /** 20 for AbortError, 23 for TimeoutError, 0 for a name without a code. */
  readonly code: number;
  static readonly INDEX_SIZE_ERR: 1;
  static readonly DOMSTRING_SIZE_ERR: 2;
  static readonly HIERARCHY_REQUEST_ERR: 3;
  static readonly WRONG_DOCUMENT_ERR: 4;
  static readonly INVALID_CHARACTER_ERR: 5;
  static readonly NO_DATA_ALLOWED_ERR: 6;
  static readonly NO_MODIFICATION_ALLOWED_ERR: 7;
  static readonly NOT_FOUND_ERR: 8;
  static readonly NOT_SUPPORTED_ERR: 9;
  static readonly INUSE_ATTRIBUTE_ERR: 10;
  static readonly INVALID_STATE_ERR: 11;
  static readonly SYNTAX_ERR: 12;
  static readonly INVALID_MODIFICATION_ERR: 13;
  static readonly NAMESPACE_ERR: 14;
  static readonly INVALID_ACCESS_ERR: 15;
  static readonly VALIDATION_ERR: 16;
  static readonly TYPE_MISMATCH_ERR: 17;
  static readonly SECURITY_ERR: 18;
  static readonly NETWORK_ERR: 19;
  static readonly ABORT_ERR: 20;
  static readonly URL_MISMATCH_ERR: 21;
  static readonly QUOTA_EXCEEDED_ERR: 22;
  static readonly TIMEOUT_ERR: 23;
  static readonly INVALID_NODE_TYPE_ERR: 24;
  static readonly DATA_CLONE_ERR: 25;
  readonly ABORT_ERR: 20;
  readonly TIMEOUT_ERR: 23;
}

interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

/** An event dispatched at an EventTarget; in Kiln the target is the whole path (no parents to bubble through). */
declare class Event {
  constructor(type: string, eventInitDict?: EventInit);
  readonly type: string;
  readonly target: EventTarget | null;
  /** The target whose listeners run now; null outside dispatch. */
  readonly currentTarget: EventTarget | null;
  readonly srcElement: EventTarget | null;
  readonly eventPhase: number;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly composed: boolean;
  readonly defaultPrevented: boolean;
  /** True for events Kiln dispatches itself (an AbortSignal's "abort"), false for dispatchEvent's. */
  readonly isTrusted: boolean;
  /** Milliseconds from the script host's start to the event's creation. */
  readonly timeStamp: number;
  returnValue: boolean;
  cancelBubble: boolean;
  composedPath(): EventTarget[];
  /** Cancels a cancelable event, except inside a listener added with passive: true. */
  preventDefault(): void;
  stopPropagation(): void;
  /** The listeners after this one do not run. */
  stopImmediatePropagation(): void;
  static readonly NONE: 0;
  static readonly CAPTURING_PHASE: 1;
  static readonly AT_TARGET: 2;
  static readonly BUBBLING_PHASE: 3;
  readonly NONE: 0;
  readonly CAPTURING_PHASE: 1;
  readonly AT_TARGET: 2;
  readonly BUBBLING_PHASE: 3;
}

interface EventListener {
  (evt: Event): void;
}

interface EventListenerObject {
  handleEvent(object: Event): void;
}

type EventListenerOrEventListenerObject = EventListener | EventListenerObject;

interface EventListenerOptions {
  capture?: boolean;
}

interface AddEventListenerOptions extends EventListenerOptions {
  /** Removed before its first call. */
  once?: boolean;
  /** preventDefault() has no effect inside it. */
  passive?: boolean;
  /** Removed when this signal aborts; not added if it already has. */
  signal?: AbortSignal;
}

/**
 * Something events are dispatched at; extend it for objects of your own. A listener that throws is
 * reported like any uncaught exception (which ends the app); the other listeners still run.
 */
declare class EventTarget {
  constructor();
  addEventListener(type: string, callback: EventListenerOrEventListenerObject | null,
                   options?: AddEventListenerOptions | boolean): void;
  removeEventListener(type: string, callback: EventListenerOrEventListenerObject | null,
                      options?: EventListenerOptions | boolean): void;
  /** Runs the listeners of event.type; false if one canceled the event. */
  dispatchEvent(event: Event): boolean;
}

/** Says whether an operation was, or should be, aborted, and why; fires "abort" once when it is. */
declare class AbortSignal extends EventTarget {
  /** Not constructible: use an AbortController or the static methods. */
  private constructor();
  readonly aborted: boolean;
  /** What abort() was given, or a DOMException (AbortError, or TimeoutError for timeout()); undefined until aborted. */
  readonly reason: any;
  onabort: ((this: AbortSignal, ev: Event) => any) | null;
  /** Throws the reason if aborted. */
  throwIfAborted(): void;
  addEventListener(type: "abort", listener: (this: AbortSignal, ev: Event) => any,
                   options?: AddEventListenerOptions | boolean): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
                   options?: AddEventListenerOptions | boolean): void;
  removeEventListener(type: "abort", listener: (this: AbortSignal, ev: Event) => any,
                      options?: EventListenerOptions | boolean): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
                      options?: EventListenerOptions | boolean): void;
  /** A signal aborted already, with reason (an AbortError DOMException if none is given). */
  static abort(reason?: any): AbortSignal;
  /**
   * A signal that aborts with a TimeoutError DOMException after the given milliseconds. Its timer
   * does not keep the app alive on its own.
   */
  static timeout(milliseconds: number): AbortSignal;
  /** A signal that aborts when the first of signals does, with that one's reason. */
  static any(signals: Iterable<AbortSignal>): AbortSignal;
}

/** Makes a signal and aborts it. */
declare class AbortController {
  constructor();
  readonly signal: AbortSignal;
  /** Aborts the signal with reason (an AbortError DOMException if none is given); a second call does nothing. */
  abort(reason?: any): void;
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
    type?: "close" | "focus" | "blur" | "resize" | "move" | "navigation" | "minimize" | "maximize" | "restore";
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
   * Fill the streams pages read with `window.runtime.stream(channel, payload)` on a channel: the
   * producer's async iterable (an async generator, say) is pulled only as far as the page's reader
   * has asked (its highWaterMark, then what it took), so a slow page slows the producer. The stream
   * ends when the iterable does; what it throws ends it with that error's code, message and data
   * (7009 without a code). When the reader stops (`break`, its signal, its page going away),
   * `ctx.signal` is aborted and the iterator's `return()` is called (a generator's `finally` runs).
   * One producer per channel; the rules of `handle` apply (1 s wait for a late producer, 7004, 7006).
   */
  export function handleStream(channel: string,
    producer: (payload: any, ctx: InvokeContext) => AsyncIterable<unknown> | Iterable<unknown>): () => void;

  /**
   * Read the stream a window's page produces with `window.runtime.handleStream(channel, ...)`:
   * an async iterable of its values, in order. At most `highWaterMark` values (default 16) are
   * asked for ahead of what the loop has taken, so the page's producer runs no further. `break`,
   * or aborting `signal` (the iterator then throws 7008), stops the page's producer. Ends with the
   * producer's error (its code and data), or 7002 if the page goes away, 7004 denied, 7006 no
   * producer. Bad arguments throw 7000 at the call.
   */
  export function streamFromWindow(windowId: string, channel: string, payload?: unknown,
    options?: { highWaterMark?: number; signal?: AbortSignal }): AsyncIterable<any>;

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

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    send: typeof sendToWindow; recv: typeof recvWindowEvent;
  }
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
    /** Title bar and border (default true). A transparent window has none. */
    decorations?: boolean;
    visible?: boolean;
    /** Transparent window and page background (default false): only what the page paints shows. No decorations. */
    transparent?: boolean;
    alwaysOnTop?: boolean;
    /** Accepted and ignored: the JavaFX WebView has no developer tools. */
    devtools?: boolean;
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

  /** A screen, as JavaFX reports it. */
  export interface MonitorInfo {
    /** "screen-0", "screen-1", ... in the system's order. */
    id: string;
    /** Always null: JavaFX does not name screens. */
    name: string | null;
    /** The top-left corner in desktop coordinates. */
    position: Position;
    size: Size;
    /** The part windows may use, without panels and docks. */
    workArea: Position & Size;
    /** 1 on a normal display, 2 on a HiDPI one. */
    scaleFactor: number;
    isPrimary: boolean;
  }

  /**
   * A window system event. Unlike Forge (channel "__window__"), Kiln's system events travel on the
   * channel named after their type, so `channel === type`.
   */
  export interface WindowSystemEvent extends IpcEvent {
    type: "close" | "focus" | "blur" | "resize" | "move" | "navigation" | "minimize" | "maximize" | "restore";
  }

  /** Callback of onResize. */
  export type ResizeCallback = (width: number, height: number) => void;
  /** Callback of onMove. */
  export type MoveCallback = (x: number, y: number) => void;
  /** Callback of onFocus, onBlur, onClose. */
  export type WindowEventCallback = () => void;

  /**
   * A native window with a WebView. Every method but events() and the on* ones returns a promise:
   * setters resolve once the window has applied the change, getters with the latest known state
   * (a getter after a setter sees the value set). A bad argument rejects with a KilnError 7000.
   * Once the window has closed, getters resolve with its last state, close() with false, evalJs and
   * injectCss reject with 7002, and the other methods do nothing.
   */
  export interface AppWindow {
    readonly id: string;
    /** Closes the window as if the user had ("close" event); true if this call closed it, false if it was closed. */
    close(): Promise<boolean>;
    isClosed(): Promise<boolean>;
    minimize(): Promise<void>;
    maximize(): Promise<void>;
    /** Leaves the maximized state, back to the size and position it had before maximize(). */
    unmaximize(): Promise<void>;
    /** Leaves the minimized state and shows the window. */
    restore(): Promise<void>;
    /** Brings the window to the front and gives it keyboard focus. */
    focus(): Promise<void>;
    getPosition(): Promise<Position>;
    setPosition(x: number, y: number): Promise<void>;
    getSize(): Promise<Size>;
    /** Both must be positive numbers. */
    setSize(width: number, height: number): Promise<void>;
    getTitle(): Promise<string>;
    setTitle(title: string): Promise<void>;
    isFullscreen(): Promise<boolean>;
    setFullscreen(fullscreen: boolean): Promise<void>;
    isFocused(): Promise<boolean>;
    isMaximized(): Promise<boolean>;
    isMinimized(): Promise<boolean>;
    isVisible(): Promise<boolean>;
    isResizable(): Promise<boolean>;
    hasDecorations(): Promise<boolean>;
    isAlwaysOnTop(): Promise<boolean>;
    setResizable(resizable: boolean): Promise<void>;
    /**
     * Adds or removes the title bar and border: the page moves into a new native window of the
     * other style and keeps running. Rejects with 7000 for a transparent window.
     */
    setDecorations(decorations: boolean): Promise<void>;
    setAlwaysOnTop(alwaysOnTop: boolean): Promise<void>;
    setVisible(visible: boolean): Promise<void>;
    show(): Promise<void>;
    hide(): Promise<void>;
    /** The smallest size the user may give it; both positive. */
    setMinSize(width: number, height: number): Promise<void>;
    /** The largest size the user may give it; both positive. */
    setMaxSize(width: number, height: number): Promise<void>;
    /** Centres the window in the work area of its screen. */
    center(): Promise<void>;
    /**
     * Runs the script in the page as global code, once the page has loaded, and resolves with its
     * value (through JSON: undefined and what JSON cannot write become null). Rejects with 7009
     * if the script throws (the page's message), 7002 if the window has closed.
     */
    evalJs(script: string): Promise<any>;
    /** Adds a style sheet to the current page (once loaded); a page loaded later does not get it. */
    injectCss(css: string): Promise<void>;
    /** This window's events; ends when the window closes (at once for a closed window). */
    events(): AsyncGenerator<IpcEvent, void, unknown>;
    /** Called when the window gains focus; returns the function that stops it. */
    onFocus(callback: WindowEventCallback): () => void;
    onBlur(callback: WindowEventCallback): () => void;
    onResize(callback: ResizeCallback): () => void;
    onMove(callback: MoveCallback): () => void;
    onClose(callback: WindowEventCallback): () => void;
  }

  /** Forge's names for the window handle. */
  export type Window = AppWindow;
  export type WindowHandle = AppWindow;

  /**
   * Opens a window; resolves once it is shown and attached (its page may still be loading).
   * Rejects with a KilnError 7000 for an id already open, an option of the wrong type, or after
   * the runtime has shut down.
   */
  export function createWindow(options?: WindowOptions): Promise<AppWindow>;

  /** Closes a window by id; resolves true once it has closed, false if no open window has that id. */
  export function closeWindow(id: string): Promise<boolean>;

  /**
   * The system events (close, focus, blur, resize, move, navigation, minimize, maximize, restore) of
   * every window, without the pages' messages; `break` ends the subscription; ends when the runtime shuts down.
   */
  export function windowEvents(): AsyncGenerator<WindowSystemEvent, void, unknown>;

  /** The screens: bounds, work area, scale factor, which is primary. */
  export function getMonitors(): Promise<MonitorInfo[]>;

  // ---- Dialogs, menus and the tray (Forge's names; see docs/reference/runtime-window.md) ----

  /** A file type choice of an open or save dialog. */
  export interface FileFilter {
    /** What the dialog shows, e.g. "Images". */
    name: string;
    /** Extensions without the dot, e.g. ["png", "jpg"]; "*" matches every file. */
    extensions: string[];
  }

  export interface FileDialogOptions {
    title?: string;
    /** Where the dialog starts: a folder, or a file (its folder; for save, its name too). */
    defaultPath?: string;
    filters?: FileFilter[];
    /** open: several files may be picked. */
    multiple?: boolean;
    /** open: pick a folder instead. */
    directory?: boolean;
    /** Kiln: the window the dialog is modal to; default the focused window. */
    windowId?: string;
  }

  export interface MessageDialogOptions {
    title?: string;
    message: string;
    /** The icon; default "info". */
    kind?: "info" | "warning" | "error";
    /** Button labels in order; default ["OK"]. "Cancel" or "No" is what Escape chooses; the last other one is Enter's. */
    buttons?: string[];
    /** Kiln: the window the dialog is modal to; default the focused window. */
    windowId?: string;
  }

  export interface MenuItem {
    /** What a click reports as itemId; default the label. */
    id?: string;
    label: string;
    /** A key combination such as "CmdOrCtrl+S" (CmdOrCtrl is Ctrl outside macOS). */
    accelerator?: string;
    /** Default true. */
    enabled?: boolean;
    /** For checkbox items; giving it makes the item a checkbox. */
    checked?: boolean;
    submenu?: MenuItem[];
    type?: "normal" | "checkbox" | "separator";
  }

  /** A click on a menu item. */
  export interface MenuEvent {
    /** "app" (a window's menu bar), "context" or "tray". */
    menuId: string;
    itemId: string;
    label: string;
    /** Kiln: the window whose menu it was; null for the tray. */
    windowId: string | null;
    /** Kiln: a checkbox item's state after the click (absent for other items). */
    checked?: boolean;
  }

  export interface TrayOptions {
    /** An image file (PNG, GIF, JPEG); default a plain square. */
    icon?: string;
    tooltip?: string;
    menu?: MenuItem[];
  }

  export interface TrayHandle {
    readonly id: string;
    update(options: TrayOptions): Promise<boolean>;
    destroy(): Promise<boolean>;
  }

  /**
   * Native dialogs, modal to a window, one at a time. The loop never waits for them: each resolves
   * when the user answers. Bad options reject with a KilnError 7000, an unknown windowId with 7002.
   */
  export const dialog: {
    /** The paths picked, or null when cancelled. */
    open(options?: FileDialogOptions): Promise<string[] | null>;
    /** The path chosen (the file need not exist), or null when cancelled. */
    save(options?: FileDialogOptions): Promise<string | null>;
    /** The index of the button chosen (-1 if the dialog closed without one, as when its window closed). */
    message(options: MessageDialogOptions | string): Promise<number>;
    alert(message: string, title?: string): Promise<number>;
    /** Cancel and OK: true for OK (Enter), false for Cancel (Escape). */
    confirm(message: string, title?: string): Promise<boolean>;
    error(message: string, title?: string): Promise<number>;
    warning(message: string, title?: string): Promise<number>;
  };

  /** Menu bars, context menus and their clicks. */
  export const menu: {
    /** The menu bar of every window (Kiln: or of one window); top-level items need a submenu. Resolves to true. */
    setAppMenu(items: MenuItem[], windowId?: string): Promise<boolean>;
    /** A context menu at the pointer: the id of the item chosen, or null when dismissed. */
    showContextMenu(items: MenuItem[], windowId?: string): Promise<string | null>;
    /** Every menu click; ends when the app ends. */
    events(): AsyncGenerator<MenuEvent, void, unknown>;
    /** Calls back with every menu click; returns the function that unsubscribes. */
    onMenu(callback: (event: MenuEvent) => void): () => void;
  };

  /** System tray icons; create rejects with a KilnError 7011 where the desktop has no system tray. */
  export const tray: {
    create(options?: TrayOptions): Promise<TrayHandle>;
    /** false if no icon has that id. */
    destroy(trayId: string): Promise<boolean>;
  };

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    create: typeof createWindow; close: typeof closeWindow; getMonitors: typeof getMonitors; dialogOpen: typeof dialog.open;
    dialogSave: typeof dialog.save; dialogMessage: typeof dialog.message; setAppMenu: typeof menu.setAppMenu;
    showContextMenu: typeof menu.showContextMenu; createTray: typeof tray.create; destroyTray: typeof tray.destroy;
  }
}
