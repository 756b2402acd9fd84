/**
 * Leveled logging: each record is one line, "<ISO time> <LEVEL> <message> <fields as JSON>", written
 * to stderr and appended to the app's log file ($APPDATA/logs/app.log, rotated at 2 MiB, five old
 * files kept as app.log.1 to app.log.5). Records below the level (default "info") are dropped.
 * Needs no permission.
 */
declare module "runtime:log" {
  export type LogLevel = "trace" | "debug" | "info" | "warn" | "warning" | "error";

  export interface ExtensionInfo {
    name: string;
    version: string;
    status: string;
  }

  /** About the module itself (it does not log). */
  export function info(): ExtensionInfo;
  export function emit(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  export function trace(message: string, fields?: Record<string, unknown>): void;
  export function debug(message: string, fields?: Record<string, unknown>): void;
  /** Logs at level info (info() is taken by the module's description). */
  export function infoLog(message: string, fields?: Record<string, unknown>): void;
  export function warn(message: string, fields?: Record<string, unknown>): void;
  export function error(message: string, fields?: Record<string, unknown>): void;
  /** The window browserConsole and dualLog send to when not told. */
  export function setDefaultWindow(windowId: string): void;

  type WindowLog = {
    [L in "trace" | "debug" | "log" | "info" | "warn" | "error"]: (
      message: string, fields?: Record<string, unknown>, windowId?: string) => Promise<void>;
  };
  /** Sends { level, message, fields } to a window on the channel "__console__" (logs it here when no window is known). */
  export const browserConsole: WindowLog;
  /** Logs here and sends to the window. */
  export const dualLog: WindowLog;
  /** Kiln addition: drop records below this level. */
  export function setLevel(level: LogLevel): void;
  /** Kiln addition: the path of the current log file. */
  export function logFile(): string;

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    info: typeof info; emit: typeof emit;
  }
}
