// runtime:fs: files and folders, behind [permissions.fs] (see FsOps.java, Permissions.java).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function readTextFile(path) {
  return platformCall((id) => ops.@OP_FS_READ_TEXT@(id, needString("readTextFile", "path", path)), takeParked);
}

function readBytes(path) {
  return platformCall((id) => ops.@OP_FS_READ_BYTES@(id, needString("readBytes", "path", path)), takeParked);
}

function writeTextFile(path, content, options) {
  return platformCall((id) => {
    const o = needOptions("writeTextFile", options);
    ops.@OP_FS_WRITE_TEXT@(id, needString("writeTextFile", "path", path), needText("writeTextFile", "content", content), o.append === true);
  });
}

function writeBytes(path, content, options) {
  return platformCall((id) => {
    const o = needOptions("writeBytes", options);
    ops.@OP_FS_WRITE_BYTES@(id, needString("writeBytes", "path", path), needBytes("writeBytes", "content", content), o.append === true);
  });
}

function appendTextFile(path, content) {
  return platformCall((id) => ops.@OP_FS_WRITE_TEXT@(id, needString("appendTextFile", "path", path),
    needText("appendTextFile", "content", content), true));
}

function appendBytes(path, content) {
  return platformCall((id) => ops.@OP_FS_WRITE_BYTES@(id, needString("appendBytes", "path", path),
    needBytes("appendBytes", "content", content), true));
}

function stat(path) {
  return platformCall((id) => ops.@OP_FS_STAT@(id, needString("stat", "path", path), false),
    (s) => ({ isFile: s.isFile, isDirectory: s.isDirectory, isSymlink: s.isSymlink, size: s.size, mtime: s.mtime,
      atime: s.atime, birthtime: s.birthtime, readonly: s.readonly, mode: s.mode }));
}

function lstat(path) {
  return platformCall((id) => ops.@OP_FS_STAT@(id, needString("lstat", "path", path), true),
    (s) => ({ isFile: s.isFile, isDirectory: s.isDirectory, isSymlink: s.isSymlink, size: s.size, mtime: s.mtime,
      atime: s.atime, birthtime: s.birthtime, readonly: s.readonly, mode: s.mode }));
}

function metadata(path) {
  return platformCall((id) => ops.@OP_FS_STAT@(id, needString("metadata", "path", path), false),
    (s) => ({ isFile: s.isFile, isDir: s.isDirectory, isSymlink: s.isSymlink, size: s.size, readonly: s.readonly,
      createdAt: s.birthtime, modifiedAt: s.mtime, accessedAt: s.atime, permissions: s.mode }));
}

function readDir(path) {
  return platformCall((id) => ops.@OP_FS_READ_DIR@(id, needString("readDir", "path", path)));
}

function mkdir(path, options) {
  return platformCall((id) => ops.@OP_FS_MKDIR@(id, needString("mkdir", "path", path), needOptions("mkdir", options).recursive === true));
}

function remove(path, options) {
  return platformCall((id) => ops.@OP_FS_REMOVE@(id, needString("remove", "path", path), needOptions("remove", options).recursive === true));
}

function rename(from, to) {
  return platformCall((id) => ops.@OP_FS_RENAME@(id, needString("rename", "from", from), needString("rename", "to", to)));
}

function copy(from, to) {
  return platformCall((id) => ops.@OP_FS_COPY@(id, needString("copy", "from", from), needString("copy", "to", to)));
}

function exists(path) {
  return platformCall((id) => ops.@OP_FS_EXISTS@(id, needString("exists", "path", path)));
}

function symlink(target, path) {
  return platformCall((id) => ops.@OP_FS_SYMLINK@(id, needString("symlink", "target", target), needString("symlink", "path", path)));
}

function readLink(path) {
  return platformCall((id) => ops.@OP_FS_READ_LINK@(id, needString("readLink", "path", path)));
}

function realPath(path) {
  return platformCall((id) => ops.@OP_FS_REAL_PATH@(id, needString("realPath", "path", path)));
}

function optionalText(fn, name, value) {
  return value === undefined || value === null ? null : needText(fn, name, value);
}

function tempFile(prefix, suffix) {
  return platformCall((id) => ops.@OP_FS_TEMP@(id, false, optionalText("tempFile", "prefix", prefix),
    optionalText("tempFile", "suffix", suffix)), (path) => ({ path }));
}

function tempDir(prefix) {
  return platformCall((id) => ops.@OP_FS_TEMP@(id, true, optionalText("tempDir", "prefix", prefix), null), (path) => ({ path }));
}

/** A watcher: next() gives the next change (null once closed), for await...of iterates, close() ends it. */
class Watcher {
  #id;
  #closed = false;
  constructor(id) {
    this.#id = id;
  }
  get id() { return this.#id; }
  next() {
    if (this.#closed) return Promise.resolve(null);
    return platformCall((id) => ops.@OP_FS_WATCH_NEXT@(id, this.#id), (change) => change ?? null); // null once closed
  }
  close() {
    if (!this.#closed) {
      this.#closed = true;
      ops.@OP_FS_WATCH_CLOSE@(this.#id);
    }
    return Promise.resolve();
  }
  async *[Symbol.asyncIterator]() {
    try {
      while (true) {
        const change = await this.next();
        if (change === null) return;
        yield change;
      }
    } finally {
      this.close(); // leaving the loop (break, return, throw) ends the watcher
    }
  }
}

function watch(path, options) {
  return platformCall((id) => ops.@OP_FS_WATCH@(id, needString("watch", "path", path), needOptions("watch", options).recursive !== false),
    (watchId) => new Watcher(watchId));
}

runtimeModules.fs = Object.freeze({
  readTextFile, writeTextFile, readBytes, writeBytes, readFile: readBytes, writeFile: writeBytes,
  appendTextFile, appendBytes, appendFile: appendBytes, stat, lstat, metadata, readDir, mkdir, remove, rename, copy,
  exists, symlink, createSymlink: symlink, readLink, realPath, tempFile, tempDir, watch, watchFile: watch,
});
