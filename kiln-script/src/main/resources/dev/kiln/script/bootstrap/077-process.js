// runtime:process: spawn a program and talk to it through its stdin, stdout and stderr (ProcessOps.java).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function processStatus(handle) {
  const raw = JSON.parse(op(ops.@OP_PROCESS_STATUS@)(String(handle)));
  return { running: raw.running, exitCode: raw.exit_code ?? undefined, signal: raw.signal ?? undefined };
}

function processWrite(handle, data) {
  return javaPromise((id) => {
    if (typeof data === "string" || data instanceof Uint8Array) {
      ops.@OP_PROCESS_WRITE@(id, String(handle), data);
    } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      ops.@OP_PROCESS_WRITE@(id, String(handle), data instanceof ArrayBuffer ? new Uint8Array(data) : copyBytes(data));
    } else {
      throw new TypeError("writeStdin() takes a string or bytes, got " + typeof data);
    }
  });
}

function processRead(handle, stderr) {
  return javaPromise((id) => ops.@OP_PROCESS_READ@(id, String(handle), stderr));
}

/** Each line of the output until its end, as Forge's `for await (const line of proc.stdout)`. */
function processLines(handle, stderr) {
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const out = await processRead(handle, stderr);
        if (out.eof) return;
        if (out.data !== null) yield out.data;
      }
    },
  };
}

const processApi = {
  async spawn(binary, opts = undefined) {
    if (typeof binary !== "string" || binary === "") throw new TypeError("spawn() needs a program name or path");
    if (opts != null && typeof opts !== "object") throw new TypeError("spawn() takes an options object");
    const o = opts == null ? {} : opts;
    if (o.args !== undefined && !Array.isArray(o.args)) throw new TypeError("spawn(): args must be an array of strings");
    const result = await javaPromise((id) => ops.@OP_PROCESS_SPAWN@(id, binary, JSON.stringify({
      args: (o.args || []).map(String),
      cwd: o.cwd == null ? null : String(o.cwd),
      env: o.env || {},
      stdin: o.stdin,
      stdout: o.stdout,
      stderr: o.stderr,
    })));
    const handle = result.id;
    return Object.freeze({
      id: handle,
      pid: result.pid,
      kill: (signal = undefined) => processApi.kill(handle, signal),
      wait: () => processApi.wait(handle),
      status: () => processApi.status(handle),
      writeStdin: (data) => processWrite(handle, data),
      closeStdin: () => javaPromise((id) => ops.@OP_PROCESS_CLOSE_STDIN@(id, handle)),
      readStdout: () => processRead(handle, false),
      readStderr: () => processRead(handle, true),
      stdout: processLines(handle, false),
      stderr: processLines(handle, true),
    });
  },
  async kill(handle, signal = undefined) {
    return op(ops.@OP_PROCESS_KILL@)(String(handle), signal == null ? null : String(signal));
  },
  wait: (handle) => javaPromise((id) => ops.@OP_PROCESS_WAIT@(id, String(handle))),
  async status(handle) { return processStatus(handle); },
  writeStdin: (handle, data) => processWrite(handle, data),
  readStdout: (handle) => processRead(handle, false),
  readStderr: (handle) => processRead(handle, true),
};
runtimeModules.process = Object.freeze(processApi);
