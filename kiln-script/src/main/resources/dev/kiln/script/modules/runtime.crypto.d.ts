/**
 * Hashes, HMAC, AES-GCM, PBKDF2 and randomness, on the JDK's providers. Synchronous, as in Forge.
 * Needs no permission. Wrong arguments throw code 7024; a wrong key size, a short salt or data that
 * does not authenticate throw code 7025. Where data is taken, a string is its UTF-8 bytes.
 */
declare module "runtime:crypto" {
  /** "sha-256" style names and any case are accepted too. */
  export type HashAlgorithm = "sha256" | "sha384" | "sha512";
  export type EncryptionAlgorithm = "aes-256-gcm" | "aes-128-gcm";

  export interface EncryptResult {
    ciphertext: Uint8Array;
    /** 12 bytes. */
    iv: Uint8Array;
    /** 16 bytes. */
    tag: Uint8Array;
  }
  export type EncryptedData = EncryptResult;

  /** Cryptographically strong random bytes (at most 64 MiB). */
  export function randomBytes(size: number): Uint8Array;
  /** A random (version 4) UUID. */
  export function randomUUID(): string;
  export function hash(algorithm: HashAlgorithm, data: Uint8Array | string): Uint8Array;
  /** The hash as lowercase hex. */
  export function hashHex(algorithm: HashAlgorithm, data: Uint8Array | string): string;
  export function hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** Whether signature is the HMAC of data under key (compared in constant time). */
  export function verify(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean;
  /** AES-GCM with no additional data; a random 12-byte iv when none is given (never reuse an iv with a key). */
  export function encrypt(algorithm: EncryptionAlgorithm, key: Uint8Array, data: Uint8Array, iv?: Uint8Array): EncryptResult;
  export function decrypt(algorithm: EncryptionAlgorithm, key: Uint8Array, encrypted: EncryptResult): Uint8Array;
  /** A random key: 32 bytes for aes-256-gcm, 16 for aes-128-gcm, `length` (default 32) for HMAC. */
  export function generateKey(
    algorithm: EncryptionAlgorithm | "hmac-sha256" | "hmac-sha384" | "hmac-sha512", length?: number): Uint8Array;
  /** PBKDF2 with HMAC-SHA256 over the password's UTF-8 bytes; the salt must be at least 8 bytes. */
  export function deriveKey(password: string, salt: Uint8Array, iterations: number, keyLength: number): Uint8Array;

  /**
   * The ops that hooks take (onBefore, onAfter, onError: see docs/reference/extensibility.md), by
   * Forge's names, each with the function it hooks.
   */
  export interface Ops {
    randomBytes: typeof randomBytes; randomUuid: typeof randomUUID; hash: typeof hash; hashHex: typeof hashHex; hmac: typeof hmac;
    encrypt: typeof encrypt; decrypt: typeof decrypt; generateKey: typeof generateKey; deriveKey: typeof deriveKey; verify: typeof verify;
  }
}

/** The Web Crypto members that need no keys (crypto.subtle is not provided). */
declare var crypto: {
  /** Fills an integer typed array (at most 65536 bytes) with random values and returns it. */
  getRandomValues<T extends Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
    | BigInt64Array | BigUint64Array>(array: T): T;
  randomUUID(): string;
};
