/**
 * Files and folders. Every function checks the manifest's [permissions.fs] read/write patterns and
 * rejects with code 7020 when they do not allow the path (see docs/reference/permissions.md).
 * Relative paths are relative to the app folder; "~/" is the home folder. Failures reject with an
 * Error whose numeric `code` is 7021 (not found), 7022 (already exists), 7023 (other OS failure) or
 * 7024 (a wrong argument).
 */
declare module "runtime:fs" {
  export interface FileStat {
    isFile: boolean;
    isDirectory: boolean;
    /** Whether the path itself is a symbolic link (stat follows it; lstat describes the link). */
    isSymlink: boolean;
    size: number;
    /** Milliseconds since 1970. */
    mtime: number | null;
    atime: number | null;
    /** Creation time; the modification time where the file system records none. */
    birthtime: number | null;
    readonly: boolean;
    /** Unix mode bits (Kiln addition); null elsewhere. */
    mode: number | null;
  }

  export interface DirEntry {
    name: string;
    isFile: boolean;
    isDirectory: boolean;
    isSymlink: boolean;
  }

  export interface MkdirOptions {
    /** Create missing parents too, and do not fail if the folder exists. */
    recursive?: boolean;
  }

  export interface RemoveOptions {
    /** Remove a folder with everything in it (links inside are removed, never followed). */
    recursive?: boolean;
  }

  /** Kiln addition: append instead of replacing. */
  export interface WriteOptions {
    append?: boolean;
  }

  export interface WatchEvent {
    /** "other" means changes were lost (too many at once): look again at what you watch. */
    kind: "create" | "modify" | "remove" | "other";
    /** Absolute paths of what changed. */
    paths: string[];
  }

  export interface WatchOptions {
    /** Watch subfolders too (default true). */
    recursive?: boolean;
  }

  /**
   * Changes under a folder, or to one file. Iterate with `for await`; leaving the loop closes it.
   * Waiting for a change keeps the app alive only while windows are open; when the app ends,
   * next() resolves with null.
   */
  export interface Watcher {
    readonly id: number;
    next(): Promise<WatchEvent | null>;
    [Symbol.asyncIterator](): AsyncGenerator<WatchEvent, void, unknown>;
    close(): Promise<void>;
  }

  export interface FileMetadata {
    isFile: boolean;
    isDir: boolean;
    isSymlink: boolean;
    size: number;
    readonly: boolean;
    createdAt: number | null;
    modifiedAt: number | null;
    accessedAt: number | null;
    permissions: number | null;
  }

  export interface TempFileInfo {
    path: string;
  }

  export interface TempDirInfo {
    path: string;
  }

  /** The file's text, decoded as UTF-8. */
  export function readTextFile(path: string): Promise<string>;
  /** Writes text as UTF-8, creating the file or replacing its content (the folder must exist). */
  export function writeTextFile(path: string, content: string, options?: WriteOptions): Promise<void>;
  export function readBytes(path: string): Promise<Uint8Array>;
  export function writeBytes(path: string, content: Uint8Array, options?: WriteOptions): Promise<void>;
  export const readFile: typeof readBytes;
  export const writeFile: typeof writeBytes;
  export function appendTextFile(path: string, content: string): Promise<void>;
  export function appendBytes(path: string, content: Uint8Array): Promise<void>;
  export const appendFile: typeof appendBytes;
  /** Follows links. */
  export function stat(path: string): Promise<FileStat>;
  /** Kiln addition: describes a link itself. */
  export function lstat(path: string): Promise<FileStat>;
  export function metadata(path: string): Promise<FileMetadata>;
  /** The folder's entries, sorted by name. */
  export function readDir(path: string): Promise<DirEntry[]>;
  export function mkdir(path: string, opts?: MkdirOptions): Promise<void>;
  export function remove(path: string, opts?: RemoveOptions): Promise<void>;
  /** Moves a file or folder, replacing what is at `to`. Needs write permission for both. */
  export function rename(from: string, to: string): Promise<void>;
  /** Copies a file, replacing what is at `to`. Needs read permission for `from`, write for `to`. */
  export function copy(from: string, to: string): Promise<void>;
  /** Whether the path exists (a link whose target is missing does not). Needs read permission. */
  export function exists(path: string): Promise<boolean>;
  /** Creates a link at `path` pointing to `target`; access through it is checked where it leads. */
  export function symlink(target: string, path: string): Promise<void>;
  export const createSymlink: typeof symlink;
  export function readLink(path: string): Promise<string>;
  /** The absolute path with every link resolved. */
  export function realPath(path: string): Promise<string>;
  /** A new empty file in the system's temporary folder (needs write permission there, such as "$TEMP/**"). */
  export function tempFile(prefix?: string, suffix?: string): Promise<TempFileInfo>;
  export function tempDir(prefix?: string): Promise<TempDirInfo>;
  export function watch(path: string, options?: WatchOptions): Promise<Watcher>;
  export const watchFile: typeof watch;

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    readText: typeof readTextFile; writeText: typeof writeTextFile; readBytes: typeof readBytes; writeBytes: typeof writeBytes;
    stat: typeof stat; readDir: typeof readDir; mkdir: typeof mkdir; remove: typeof remove; rename: typeof rename; copy: typeof copy;
    exists: typeof exists; watch: typeof watch; symlink: typeof symlink; readLink: typeof readLink; appendText: typeof appendTextFile;
    appendBytes: typeof appendBytes; metadata: typeof metadata; realPath: typeof realPath; tempFile: typeof tempFile; tempDir: typeof tempDir;
  }
}
