/**
 * The app itself: its manifest identity, its folders, quitting, exiting and relaunching, its windows
 * as a whole, and the single-instance lock.
 */
declare module "runtime:app" {
  export type PathType =
    | "home" | "appData" | "documents" | "downloads" | "desktop" | "music" | "pictures" | "videos"
    | "temp" | "exe" | "resources" | "logs" | "cache";

  export interface LocaleInfo {
    language: string;
    country: string | null;
    /** A BCP 47 tag such as "en-US". */
    locale: string;
  }

  /** Closes every window and lets the script wind down (timers no longer keep it alive), as Ctrl-C does; exit code 0. */
  export function quit(): Promise<void>;
  /** Ends the app now with the exit code (0-255, default 0): nothing after it runs, not even finally blocks. */
  export function exit(exitCode?: number): never;
  /**
   * Ends this run as quit() does (windows close, the script winds down), then runs the app again from
   * main.ts with fresh windows, in the same process: the manifest read at launch stays.
   */
  export function relaunch(): Promise<void>;
  /**
   * Takes the app's single-instance lock (a lock on a file in the app's data folder): true if this
   * process now holds it, false if another instance of the app does. Held until released or the app
   * ends; a crashed instance holds nothing.
   */
  export function requestSingleInstanceLock(): Promise<boolean>;
  /** Gives the lock back, so that another instance can take it. */
  export function releaseSingleInstanceLock(): Promise<void>;
  /** Brings the app's oldest visible window to the front and gives it the focus (none visible: nothing). */
  export function focus(): Promise<void>;
  /** Hides every visible window of the app (they stay open: the app keeps running). */
  export function hide(): Promise<void>;
  /** Shows again the windows that hide() hid and that are still open. */
  export function show(): Promise<void>;
  /**
   * The count on the app's icon; 0, null or no argument clears it. Kiln keeps the count
   * (getBadgeCount) but shows no badge: the first non-zero count prints a warning saying so.
   */
  export function setBadgeCount(count?: number | null): Promise<void>;
  /** The count set last with setBadgeCount (Kiln's addition, as Electron's app.getBadgeCount). */
  export function getBadgeCount(): number;
  /** Windows' AppUserModelID (for taskbar grouping and notifications); no effect on other platforms. */
  export function setUserModelId(appId: string): void;
  /** [app] version of the manifest. */
  export function getVersion(): string;
  /** [app] name of the manifest. */
  export function getName(): string;
  /** [app] identifier of the manifest. */
  export function getIdentifier(): string;
  export const version: typeof getVersion;
  export const name: typeof getName;
  export const identifier: typeof getIdentifier;
  /**
   * A folder: "appData" is the app's own data folder ($APPDATA), "logs" its log folder, "resources"
   * the app folder, "cache" the app's cache folder, "exe" the running program; the others are the
   * user's folders (the XDG user folders on Linux).
   */
  export function getPath(pathType: PathType): string;
  /** Always false: Kiln runs apps from their folder. */
  export function isPackaged(): boolean;
  export function getLocale(): LocaleInfo;

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    quit: typeof quit; exit: typeof exit; getVersion: typeof getVersion; getName: typeof getName; getIdentifier: typeof getIdentifier;
    getPath: typeof getPath; isPackaged: typeof isPackaged; getLocale: typeof getLocale;
    relaunch: typeof relaunch; requestSingleInstanceLock: typeof requestSingleInstanceLock;
    releaseSingleInstanceLock: typeof releaseSingleInstanceLock; focus: typeof focus; hide: typeof hide;
    show: typeof show; setBadgeCount: typeof setBadgeCount; setUserModelId: typeof setUserModelId;
  }
}

/** The part of Deno's global that Kiln provides, for apps written against Forge/Deno. */
declare var Deno: {
  /** Ends the app now with the exit code, as runtime:app's exit does. */
  exit(code?: number): never;
};
