/**
 * Child processes. The program must be allowed by [permissions.process] allow (7020 otherwise);
 * one that cannot start rejects with 7032. Children still running when the app ends are killed.
 */
declare module "runtime:process" {
  export interface SpawnOptions {
    args?: string[];
    /** Relative to the app folder; the app folder by default. */
    cwd?: string;
    /** Added to the app's environment (runtime:sys's, with its setEnv changes). */
    env?: Record<string, string>;
    /** Default "null". */
    stdin?: "piped" | "inherit" | "null";
    /** Default "piped". */
    stdout?: "piped" | "inherit" | "null";
    /** Default "piped". */
    stderr?: "piped" | "inherit" | "null";
  }
  export interface WaitResult {
    success: boolean;
    /** null when a signal Kiln sent ended the program. */
    code: number | null;
    signal: string | null;
  }
  export interface ProcessStatus {
    running: boolean;
    exitCode?: number;
    signal?: string;
  }
  /** One line of output (without its line end), or eof once the stream has ended. */
  export interface ReadOutput {
    data: string | null;
    eof: boolean;
  }
  export interface StdioIterator {
    [Symbol.asyncIterator](): AsyncGenerator<string, void, unknown>;
  }
  export interface ProcessHandle {
    readonly id: string;
    readonly pid: number;
    /** "SIGTERM" (the default) or "SIGKILL"; true if the program was still running. */
    kill(signal?: string): Promise<boolean>;
    wait(): Promise<WaitResult>;
    status(): Promise<ProcessStatus>;
    /** Needs stdin: "piped". Kiln also takes bytes. */
    writeStdin(data: string | Uint8Array): Promise<void>;
    /** Kiln addition: closes stdin after the writes before it, so that a program reading to the end finishes. */
    closeStdin(): Promise<void>;
    readStdout(): Promise<ReadOutput>;
    readStderr(): Promise<ReadOutput>;
    /** Each line of stdout until it ends. */
    stdout: StdioIterator;
    stderr: StdioIterator;
  }
  export function spawn(binary: string, opts?: SpawnOptions): Promise<ProcessHandle>;
  export function kill(handle: string, signal?: string): Promise<boolean>;
  export function wait(handle: string): Promise<WaitResult>;
  export function status(handle: string): Promise<ProcessStatus>;
  export function writeStdin(handle: string, data: string | Uint8Array): Promise<void>;
  export function readStdout(handle: string): Promise<ReadOutput>;
  export function readStderr(handle: string): Promise<ReadOutput>;

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    spawn: typeof spawn; kill: typeof kill; wait: typeof wait; status: typeof status; writeStdin: typeof writeStdin;
    readStdout: typeof readStdout; readStderr: typeof readStderr;
  }
}
