/**
 * The app itself: its manifest identity, its folders, quitting and exiting.
 * Forge's relaunch, single-instance lock, focus/hide/show, setBadgeCount and setUserModelId are not
 * in Kiln (importing them is a SyntaxError naming the missing export).
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
  }
}

/** The part of Deno's global that Kiln provides, for apps written against Forge/Deno. */
declare var Deno: {
  /** Ends the app now with the exit code, as runtime:app's exit does. */
  exit(code?: number): never;
};
