// runtime:storage: the app's persistent key-value store (see StorageOps.java). Values are JSON: what
// JSON.stringify keeps is what get() gives back.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function storageKey(fn, key) {
  if (typeof key !== "string") throw argumentError(fn + "(): the key must be a string, got " + typeName(key));
  return key;
}

function storageKeys(fn, list) {
  if (list == null || typeof list[Symbol.iterator] !== "function" || typeof list === "string") {
    throw argumentError(fn + "(): needs a list of keys, got " + typeName(list));
  }
  return Array.from(list, (k) => storageKey(fn, k));
}

function storageValue(fn, key, value) {
  let json;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    throw argumentError(fn + "(): the value of '" + key + "' cannot be stored as JSON: " + e.message);
  }
  if (json === undefined) {
    throw argumentError(fn + "(): the value of '" + key + "' must be a JSON value, got " + typeName(value)
      + " (use remove() to delete a key)");
  }
  return json;
}

/** A storage op; `args()` (run inside, so that a wrong argument rejects) gives [keys, values]. */
function storageOp(op, args, map) {
  return platformCall((id) => {
    const [keys, values] = args();
    ops.@OP_STORAGE@(id, op, JSON.stringify(keys), values ? JSON.stringify(values) : null);
  }, map);
}

const storage = {
  get(key) {
    return storageOp("get", () => [[storageKey("get", key)]], (t) => (t == null ? null : JSON.parse(takeParked(t))));
  },
  set(key, value) {
    return storageOp("set", () => [[storageKey("set", key)], [storageValue("set", key, value)]]);
  },
  remove(key) {
    return storageOp("remove", () => [[storageKey("remove", key)]]);
  },
  has(key) {
    return storageOp("has", () => [[storageKey("has", key)]]);
  },
  keys() {
    return storageOp("keys", () => [[]]);
  },
  clear() {
    return storageOp("clear", () => [[]]);
  },
  size() {
    return storageOp("size", () => [[]]);
  },
  getMany(keyList) {
    return storageOp("getMany", () => [storageKeys("getMany", keyList)], (t) => new Map(Object.entries(JSON.parse(takeParked(t)))));
  },
  setMany(entries) {
    return storageOp("setMany", () => {
      if (entries === null || typeof entries !== "object") {
        throw argumentError("setMany(): needs an object of key/value pairs, got " + typeName(entries));
      }
      const pairs = entries instanceof Map ? [...entries] : Object.entries(entries);
      return [pairs.map(([k]) => storageKey("setMany", k)), pairs.map(([k, v]) => storageValue("setMany", k, v))];
    });
  },
  deleteMany(keyList) {
    return storageOp("deleteMany", () => [storageKeys("deleteMany", keyList)]);
  },
};

// "delete" is a reserved word, so Forge exports remove as delete_ as well.
runtimeModules.storage = Object.freeze({ ...storage, delete_: storage.remove });
