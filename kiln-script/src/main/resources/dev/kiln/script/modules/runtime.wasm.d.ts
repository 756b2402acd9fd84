/**
 * WebAssembly on V8's own engine, with Forge's ids and handles. Failures (bad bytes, missing
 * imports, traps, unknown ids or exports) reject with 7033; compileFile needs [permissions.wasm] load.
 */
declare module "runtime:wasm" {
  export interface WasmValue {
    type: "i32" | "i64" | "f32" | "f64";
    value: number;
  }
  export interface WasmExport {
    name: string;
    /** "function", "memory", "table" or "global". */
    kind: string;
    params?: string[];
    results?: string[];
  }
  export interface WasiConfig {
    preopens?: Record<string, string>;
    env?: Record<string, string>;
    args?: string[];
    inheritStdin?: boolean;
    inheritStdout?: boolean;
    inheritStderr?: boolean;
  }
  export interface MemoryAccess {
    read(offset: number, length: number): Promise<Uint8Array>;
    write(offset: number, data: Uint8Array): Promise<void>;
    /** In 64 KiB pages. */
    size(): Promise<number>;
    /** The size before growing, in pages. */
    grow(pages: number): Promise<number>;
  }
  export interface WasmInstance {
    readonly id: string;
    readonly moduleId: string;
    /** Arguments convert by the function's declared types; results unwrapped (i64 as number). */
    call(name: string, ...args: (number | bigint | WasmValue)[]): Promise<number[]>;
    getExports(): Promise<WasmExport[]>;
    memory: MemoryAccess;
    drop(): Promise<void>;
  }
  export function compile(bytes: Uint8Array): Promise<string>;
  /** Relative paths from the app folder. */
  export function compileFile(path: string): Promise<string>;
  export function dropModule(moduleId: string): Promise<void>;
  /**
   * Kiln has no WASI: a wasiConfig rejects with 7033. Kiln addition: `imports`, the import object
   * for a module that imports functions, memory, tables or globals.
   */
  export function instantiate(moduleId: string, wasiConfig?: WasiConfig, imports?: Record<string, Record<string, unknown>>): Promise<WasmInstance>;
  export function call(instanceId: string, funcName: string, args: WasmValue[]): Promise<WasmValue[]>;
  export function getExports(instanceId: string): Promise<WasmExport[]>;
  export const types: {
    i32(value: number): WasmValue;
    i64(value: number | bigint): WasmValue;
    f32(value: number): WasmValue;
    f64(value: number): WasmValue;
  };
  export const memory: {
    read(instanceId: string, offset: number, length: number): Promise<Uint8Array>;
    write(instanceId: string, offset: number, data: Uint8Array): Promise<void>;
    size(instanceId: string): Promise<number>;
    grow(instanceId: string, pages: number): Promise<number>;
  };

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    compile: typeof compile; compileFile: typeof compileFile; dropModule: typeof dropModule; instantiate: typeof instantiate;
    getExports: typeof getExports; call: typeof call; memoryRead: typeof memory.read; memoryWrite: typeof memory.write;
    memorySize: typeof memory.size; memoryGrow: typeof memory.grow;
  }
}
