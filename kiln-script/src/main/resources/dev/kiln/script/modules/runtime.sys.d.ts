/**
 * The system: facts, the app's environment ([permissions.sys.env]), the usual folders, the clipboard
 * ([permissions.sys] clipboard), notifications (notify) and the battery (power). 7031 when the
 * desktop service is missing (no display for the clipboard, no notification service).
 */
declare module "runtime:sys" {
  export interface SystemInfo {
    /** "linux", "macos", "windows". */
    os: string;
    /** "x86_64", "aarch64", ... */
    arch: string;
    hostname: string;
    cpuCount: number;
    /** Kiln addition. */
    osVersion: string;
    /** Kiln addition: physical memory in bytes. */
    memory?: { total: number; free: number };
    /** Kiln addition: the one-minute load average, or null where the OS has none. */
    loadAverage?: number | null;
  }
  export interface NotifyOptions {
    title: string;
    body?: string;
    icon?: string;
    sound?: boolean;
  }
  export interface PowerInfo {
    /** "charging", "discharging", "full", "notCharging", "noBattery" or "unknown". */
    state: string;
    percentage: number | null;
    /** Seconds. */
    timeToFull: number | null;
    timeToEmpty: number | null;
    /** Forge runtime's spelling: whether the machine has a battery. */
    has_battery: boolean;
    /** Forge runtime's spelling: whether a mains supply is online. */
    ac_connected: boolean;
    /** Forge runtime's spelling: every battery. */
    batteries: {
      charge_percent: number | null;
      state: string;
      time_to_full_secs: number | null;
      time_to_empty_secs: number | null;
    }[];
  }
  export interface LocaleInfo {
    language: string;
    country: string | null;
    locale: string;
  }
  export interface AppPaths {
    home: string | null;
    documents: string | null;
    downloads: string | null;
    desktop: string | null;
    music: string | null;
    pictures: string | null;
    videos: string | null;
    data: string | null;
    config: string | null;
    cache: string | null;
    runtime: string | null;
  }
  export function info(): SystemInfo;
  export function getEnv(key: string): string | null;
  /** Changes the app's environment (and its children's); the JVM's own does not change. */
  export function setEnv(key: string, value: string): void;
  export function deleteEnv(key: string): void;
  /** The variables [permissions.sys.env] read allows. */
  export function getAllEnv(): Record<string, string>;
  export function cwd(): string;
  export function homeDir(): string | null;
  export function tempDir(): string;
  export function locale(): LocaleInfo;
  export function appPaths(): AppPaths;
  export const clipboard: {
    read(): Promise<string>;
    write(text: string): Promise<void>;
  };
  export function notify(title: string, body?: string): Promise<void>;
  export function notifyExt(opts: NotifyOptions): Promise<void>;
  export function powerInfo(): Promise<PowerInfo>;
  export { getAllEnv as envAll, deleteEnv as envDelete, locale as getLocale, appPaths as getPaths };

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    info: typeof info; envGet: typeof getEnv; envSet: typeof setEnv; cwd: typeof cwd; homeDir: typeof homeDir; tempDir: typeof tempDir;
    envAll: typeof getAllEnv; envDelete: typeof deleteEnv; locale: typeof locale; appPaths: typeof appPaths;
    clipboardRead: typeof clipboard.read; clipboardWrite: typeof clipboard.write; notify: typeof notify; notifyExt: typeof notifyExt;
    powerInfo: typeof powerInfo;
  }
}
