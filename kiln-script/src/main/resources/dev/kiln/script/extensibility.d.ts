// ---- The extensibility API that every runtime: module exports (docs/reference/extensibility.md) ----

/** The types of the hooks and named handlers of the runtime: modules. */
declare namespace KilnExtensibility {
  /** The arguments of a call of `F`, as its hooks see them; a before hook may change them. */
  type Args<F> = F extends (...args: infer A) => unknown ? A : never;
  /** What a call of `F` gives (for an async op, what its promise resolves to). */
  type Result<F> = F extends (...args: any[]) => infer R ? Awaited<R> : never;
  /** Removes the hook it was returned for; calling it again does nothing. */
  type Unsubscribe = () => void;
  /** A named handler: any function; invokeHandler awaits what it returns. */
  type Handler = (...args: any[]) => unknown;

  /**
   * A module's extensibility functions; `Ops` maps each op name (Forge's) to the function it hooks.
   * The hooks of an async op are awaited in order; those of a synchronous op (runtime:crypto's,
   * sys.info, ...) are called in order and what they return is not awaited.
   */
  interface Api<Ops> {
    /** Called before each call of the op, with its arguments; throwing (or rejecting) stops the call with that error. */
    onBefore<K extends keyof Ops>(opName: K, callback: (args: Args<Ops[K]>) => void | Promise<void>): Unsubscribe;
    /** Called after each call of the op that succeeded, with its result and arguments. */
    onAfter<K extends keyof Ops>(opName: K,
      callback: (result: Result<Ops[K]>, args: Args<Ops[K]>) => void | Promise<void>): Unsubscribe;
    /** Called when a call of the op fails, with its error (usually a coded one) and arguments; the call still fails with it. */
    onError<K extends keyof Ops>(opName: K, callback: (error: Error, args: Args<Ops[K]>) => void | Promise<void>): Unsubscribe;
    /** Removes the hooks of one op, or of every op of the module. */
    removeAllHooks(opName?: keyof Ops): void;
    /** Adds a handler under a name of this module's registry; throws 7022 if the name is taken. */
    registerHandler(name: string, handler: Handler): void;
    /** What the named handler returns (awaited); rejects with 7021 if this module has no handler of that name. */
    invokeHandler(name: string, ...args: unknown[]): Promise<unknown>;
    /** The names of this module's handlers, in the order they were registered. */
    listHandlers(): string[];
    /** Whether there was a handler of that name to remove. */
    removeHandler(name: string): boolean;
    hasHandler(name: string): boolean;
  }
}

// @each-module: TypeDeclarations.java repeats what follows for each runtime: module, "runtime:MODULE"
// becoming its name; the module declares its own `Ops`.
declare module "runtime:MODULE" {
  /** The op names that hooks take. */
  export type OpName = keyof Ops;
  export const onBefore: KilnExtensibility.Api<Ops>["onBefore"], onAfter: KilnExtensibility.Api<Ops>["onAfter"],
    onError: KilnExtensibility.Api<Ops>["onError"], removeAllHooks: KilnExtensibility.Api<Ops>["removeAllHooks"],
    registerHandler: KilnExtensibility.Api<Ops>["registerHandler"], invokeHandler: KilnExtensibility.Api<Ops>["invokeHandler"],
    listHandlers: KilnExtensibility.Api<Ops>["listHandlers"], removeHandler: KilnExtensibility.Api<Ops>["removeHandler"],
    hasHandler: KilnExtensibility.Api<Ops>["hasHandler"];
}
