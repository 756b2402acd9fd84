// runtime:crypto, and the standard crypto.getRandomValues / crypto.randomUUID globals (see CryptoOps.java).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const cryptoEncoder = new TextEncoder();

/** Bytes for a crypto op: a string is its UTF-8 bytes (where Forge takes a string, and as a Kiln addition elsewhere). */
function cryptoBytes(fn, name, value) {
  return typeof value === "string" ? cryptoEncoder.encode(value) : needBytes(fn, name, value);
}

function cryptoName(fn, name, value) {
  if (typeof value !== "string") throw argumentError(fn + "(): " + name + " must be a string, got " + typeName(value));
  return value;
}

function cryptoInteger(fn, name, value) {
  if (!Number.isInteger(value)) throw argumentError(fn + "(): " + name + " must be a whole number, got " + typeName(value));
  return value;
}

const cryptoOp = (name) => op(ops[name]);

function randomBytes(size) {
  return cryptoOp("@OP_CRYPTO_RANDOM@")(cryptoInteger("randomBytes", "size", size));
}

function randomUUID() {
  return ops.@OP_CRYPTO_UUID@();
}

function hash(algorithm, data) {
  return cryptoOp("@OP_CRYPTO_HASH@")(cryptoName("hash", "algorithm", algorithm), cryptoBytes("hash", "data", data));
}

function hashHex(algorithm, data) {
  return Array.from(hash(algorithm, data), (b) => b.toString(16).padStart(2, "0")).join("");
}

function hmac(algorithm, key, data) {
  return cryptoOp("@OP_CRYPTO_HMAC@")(cryptoName("hmac", "algorithm", algorithm), cryptoBytes("hmac", "key", key),
    cryptoBytes("hmac", "data", data));
}

function verify(algorithm, key, data, signature) {
  return cryptoOp("@OP_CRYPTO_VERIFY@")(cryptoName("verify", "algorithm", algorithm), cryptoBytes("verify", "key", key),
    cryptoBytes("verify", "data", data), needBytes("verify", "signature", signature));
}

function encrypt(algorithm, key, data, iv) {
  const sealed = cryptoOp("@OP_CRYPTO_ENCRYPT@")(cryptoName("encrypt", "algorithm", algorithm), needBytes("encrypt", "key", key),
    cryptoBytes("encrypt", "data", data), iv === undefined || iv === null ? null : needBytes("encrypt", "iv", iv));
  // iv (12 bytes), ciphertext, tag (16 bytes): three arrays of their own
  return { iv: sealed.slice(0, 12), ciphertext: sealed.slice(12, sealed.length - 16), tag: sealed.slice(sealed.length - 16) };
}

function decrypt(algorithm, key, encrypted) {
  if (encrypted === null || typeof encrypted !== "object") {
    throw argumentError("decrypt(): needs the { ciphertext, iv, tag } that encrypt() returned, got " + typeName(encrypted));
  }
  return cryptoOp("@OP_CRYPTO_DECRYPT@")(cryptoName("decrypt", "algorithm", algorithm), needBytes("decrypt", "key", key),
    needBytes("decrypt", "iv", encrypted.iv), needBytes("decrypt", "ciphertext", encrypted.ciphertext),
    needBytes("decrypt", "tag", encrypted.tag));
}

function generateKey(algorithm, length) {
  return cryptoOp("@OP_CRYPTO_GENERATE_KEY@")(cryptoName("generateKey", "algorithm", algorithm),
    length === undefined || length === null ? 0 : cryptoInteger("generateKey", "length", length));
}

function deriveKey(password, salt, iterations, keyLength) {
  return cryptoOp("@OP_CRYPTO_DERIVE_KEY@")(cryptoName("deriveKey", "password", password), cryptoBytes("deriveKey", "salt", salt),
    cryptoInteger("deriveKey", "iterations", iterations), cryptoInteger("deriveKey", "keyLength", keyLength));
}

runtimeModules.crypto = Object.freeze({
  randomBytes, randomUUID, hash, hashHex, hmac, verify, encrypt, decrypt, generateKey, deriveKey,
});

// The Web Crypto globals that need no keys: getRandomValues and randomUUID (crypto.subtle is not provided).
const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  BigInt64Array, BigUint64Array];
define("crypto", Object.freeze({
  getRandomValues(array) {
    if (!INTEGER_ARRAYS.some((type) => array instanceof type)) {
      throw new DOMException("getRandomValues() needs an integer typed array", "TypeMismatchError");
    }
    if (array.byteLength > 65536) {
      throw new DOMException("getRandomValues() fills at most 65536 bytes, got " + array.byteLength, "QuotaExceededError");
    }
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(randomBytes(array.byteLength));
    return array;
  },
  randomUUID,
}));
