/**
 * The app's persistent key-value store: JSON values by string keys, in an SQLite database in the
 * app's data folder ($APPDATA/storage/storage.db). Needs no permission. A write whose promise has
 * resolved is on disk; setMany, deleteMany and clear are all-or-nothing. Operations run in the
 * order they are called. A value that JSON.stringify cannot carry rejects with code 7024.
 */
declare module "runtime:storage" {
  /** The value stored under the key, or null if there is none. */
  export function get<T = unknown>(key: string): Promise<T | null>;
  export function set<T = unknown>(key: string, value: T): Promise<void>;
  /** Whether there was a value to remove. */
  export function remove(key: string): Promise<boolean>;
  export { remove as delete_ };
  export function has(key: string): Promise<boolean>;
  /** Every key, sorted. */
  export function keys(): Promise<string[]>;
  export function clear(): Promise<void>;
  /** The stored values' total size in bytes (their JSON text in UTF-8). */
  export function size(): Promise<number>;
  /** The keys that have values, with them (missing keys are left out). */
  export function getMany(keyList: string[]): Promise<Map<string, unknown>>;
  export function setMany(entries: Record<string, unknown>): Promise<void>;
  /** How many keys had values. */
  export function deleteMany(keyList: string[]): Promise<number>;

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    get: typeof get; set: typeof set; delete: typeof remove; has: typeof has; keys: typeof keys; clear: typeof clear;
    size: typeof size; getMany: typeof getMany; setMany: typeof setMany; deleteMany: typeof deleteMany;
  }
}
