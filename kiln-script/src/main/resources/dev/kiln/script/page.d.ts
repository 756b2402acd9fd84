// Kiln: the declarations of window.runtime, the bridge Kiln gives an app's pages.
// Written into an app by `kiln types` as types/page.d.ts; include it in the front-end's tsconfig.

/** An error that crosses a call whole: code, message and data (stacks do not cross). */
declare class KilnIpcError extends Error {
  constructor(code: string | number, message: string, data?: unknown);
  code: string | number;
  data?: unknown;
}

/** What a page's call handler knows about the host's call. */
interface KilnPageCallContext {
  /** Aborted when the host cancels the call or its deadline passes. */
  signal: AbortSignal;
  /** When the host stops waiting (epoch ms), if it gave a timeout. */
  deadline?: number;
}

/** window.runtime: messages and calls between the page and its app. */
interface KilnPageRuntime {
  /** Sends a message to the app; throws an IpcError (7000 bad channel, 7003 payload refused, 7004 reserved channel). */
  send(channel: string, payload?: unknown): void;
  /** Listens to the app's messages on a channel; returns the function that stops listening. */
  on(channel: string, callback: (payload: any) => void): () => void;
  off(channel: string, callback: (payload: any) => void): void;
  /**
   * Calls the app's handler for the channel and resolves with its result. Rejects with an IpcError:
   * the handler's own, or Kiln's (7000 bad arguments, 7003 payload refused, 7004 denied, 7006 no
   * handler, 7007 timed out, 7008 cancelled by the signal, 7009 the handler failed).
   */
  invoke(channel: string, payload?: unknown, options?: { timeout?: number; signal?: AbortSignal }): Promise<any>;
  /**
   * Answers the app's invokeWindow(windowId, channel, ...) calls; returns the function that removes
   * the handler. One handler per channel. A host call that arrives before a handler waits up to a second.
   */
  handle(channel: string, handler: (payload: any, ctx: KilnPageCallContext) => unknown | Promise<unknown>): () => void;
  /**
   * Reads the app's stream on the channel (its handleStream producer) as an async iterable. At most
   * highWaterMark values (default 16) are asked for ahead of what the loop has taken. `break` or the
   * signal (the iterator then throws 7008) stops the producer. Ends with the producer's error, or
   * 7002/7004/7006. Bad arguments throw at the call (7000, 7003, 7004).
   */
  stream(channel: string, payload?: unknown, options?: { highWaterMark?: number; signal?: AbortSignal }): AsyncIterable<any>;
  /**
   * Fills the app's streamFromWindow reads on the channel from an async iterable (an async generator,
   * say), pulled only as far as the app asks; returns the function that removes the producer.
   */
  handleStream(channel: string, producer: (payload: any, ctx: KilnPageCallContext) => AsyncIterable<unknown> | Iterable<unknown>): () => void;
  /** The class of every error window.runtime gives. */
  readonly IpcError: typeof KilnIpcError;
}

/**
 * window.host: the name Forge's pages use for the bridge. send, on and off are window.runtime's;
 * emit calls this page's own listeners for the channel (with the payload object itself), then
 * sends the message to the app. A bad channel or payload throws before any listener runs.
 */
interface KilnForgeHost {
  send(channel: string, payload?: unknown): void;
  /** Forge's returns nothing; Kiln's returns the function that stops listening. */
  on(channel: string, callback: (payload: any) => void): () => void;
  off(channel: string, callback: (payload: any) => void): void;
  emit(channel: string, payload?: unknown): void;
}

interface Window {
  readonly runtime: KilnPageRuntime;
  /** Forge's name for the bridge: see KilnForgeHost. */
  readonly host: KilnForgeHost;
}
