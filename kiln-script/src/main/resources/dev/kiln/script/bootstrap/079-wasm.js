// runtime:wasm: Forge's module and instance handles on V8's own WebAssembly. A module's signatures
// come from its type, import, function and export sections, read here, so that calls convert their
// arguments and results by the declared types. compileFile reads the file through WasmOps.java.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

const WASM_TYPES = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };

function wasmError(message) {
  return kilnError(@E_WASM_FAILED@, "[@E_WASM_FAILED@] " + message);
}

/** Export name -> { params, results } for the module's functions; {} when the sections cannot be read. */
function wasmSignatures(bytes) {
  let at = 8;
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw new RangeError("truncated");
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  const skipLimits = () => {
    const flags = u32();
    u32();
    if (flags & 1) u32();
  };
  const name = () => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const valtypes = () => {
    const n = u32();
    const out = [];
    for (let i = 0; i < n; i++) out.push(WASM_TYPES[bytes[at++]] || "unknown");
    return out;
  };
  try {
    const types = [];
    const funcs = []; // type index of every function, imported ones first
    const exports = {};
    while (at < bytes.length) {
      const id = bytes[at++];
      const size = u32();
      const end = at + size;
      if (id === 1) {
        for (let n = u32(), i = 0; i < n; i++) {
          if (bytes[at++] !== 0x60) throw new RangeError("not a function type");
          types.push({ params: valtypes(), results: valtypes() });
        }
      } else if (id === 2) {
        for (let n = u32(), i = 0; i < n; i++) {
          name();
          name();
          const kind = bytes[at++];
          if (kind === 0) funcs.push(u32());
          else if (kind === 1) { at++; skipLimits(); }
          else if (kind === 2) skipLimits();
          else if (kind === 3) at += 2;
          else if (kind === 4) { at++; u32(); }
        }
      } else if (id === 3) {
        for (let n = u32(), i = 0; i < n; i++) funcs.push(u32());
      } else if (id === 7) {
        for (let n = u32(), i = 0; i < n; i++) {
          const exportName = name();
          const kind = bytes[at++];
          const index = u32();
          if (kind === 0 && types[funcs[index]]) exports[exportName] = types[funcs[index]];
        }
      }
      at = end;
    }
    return exports;
  } catch (e) {
    return {}; // a section this reader does not know (a newer proposal): calls convert by the values given
  }
}

const wasmModules = new Map(); // module id -> { module, signatures }
const wasmInstances = new Map(); // instance id -> { instance, moduleId, signatures }
let nextWasmId = 1;

function wasmBytes(bytes) {
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (Array.isArray(bytes)) return Uint8Array.from(bytes);
  throw new TypeError("compile() takes the module's bytes (a Uint8Array)");
}

function wasmCompile(bytes) {
  const view = wasmBytes(bytes);
  let module;
  try {
    module = new WebAssembly.Module(view);
  } catch (e) {
    throw wasmError("compile(): " + e.message);
  }
  const id = "wasm-module-" + nextWasmId++;
  wasmModules.set(id, { module, signatures: wasmSignatures(view) });
  return id;
}

function wasmInstance(instanceId) {
  const entry = wasmInstances.get(String(instanceId));
  if (!entry) throw wasmError("No WebAssembly instance '" + instanceId + "'");
  return entry;
}

function wasmMemory(instanceId) {
  const { instance } = wasmInstance(instanceId);
  for (const value of Object.values(instance.exports)) {
    if (value instanceof WebAssembly.Memory) return value;
  }
  throw wasmError("The WebAssembly instance '" + instanceId + "' exports no memory");
}

function wasmArgument(value, type) {
  const v = value !== null && typeof value === "object" && "value" in value ? value.value : value;
  const t = type || (value !== null && typeof value === "object" ? value.type : undefined);
  return t === "i64" ? BigInt.asIntN(64, typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)))) : v;
}

function wasmResult(value, type) {
  if (typeof value === "bigint") return { type: "i64", value: Number(value) };
  return { type: type || (Number.isInteger(value) ? "i32" : "f64"), value };
}

function wasmCall(instanceId, name, args) {
  const { instance, signatures } = wasmInstance(instanceId);
  const fn = instance.exports[name];
  if (typeof fn !== "function") throw wasmError("The WebAssembly instance '" + instanceId + "' exports no function '" + name + "'");
  const sig = signatures[name];
  if (sig && args.length !== sig.params.length) {
    throw wasmError(name + "() takes " + sig.params.length + " argument(s), got " + args.length);
  }
  let out;
  try {
    out = fn(...args.map((a, i) => wasmArgument(a, sig ? sig.params[i] : undefined)));
  } catch (e) {
    throw wasmError(name + "() failed: " + (e && e.message ? e.message : String(e)));
  }
  const results = out === undefined ? [] : sig && sig.results.length > 1 ? Array.from(out) : [out];
  return results.map((r, i) => wasmResult(r, sig ? sig.results[i] : undefined));
}

const wasmMemoryApi = Object.freeze({
  async read(instanceId, offset, length) {
    const memory = wasmMemory(instanceId);
    if (offset < 0 || length < 0 || offset + length > memory.buffer.byteLength) {
      throw wasmError("memory.read(" + offset + ", " + length + ") is outside the memory of " + memory.buffer.byteLength + " bytes");
    }
    return new Uint8Array(memory.buffer.slice(offset, offset + length));
  },
  async write(instanceId, offset, data) {
    const memory = wasmMemory(instanceId);
    const bytes = wasmBytes(data);
    if (offset < 0 || offset + bytes.length > memory.buffer.byteLength) {
      throw wasmError("memory.write at " + offset + " of " + bytes.length + " bytes is outside the memory of "
        + memory.buffer.byteLength + " bytes");
    }
    new Uint8Array(memory.buffer).set(bytes, offset);
  },
  async size(instanceId) { return wasmMemory(instanceId).buffer.byteLength / 65536; },
  async grow(instanceId, pages) {
    try {
      return wasmMemory(instanceId).grow(pages);
    } catch (e) {
      throw e instanceof IpcError ? e : wasmError("memory.grow(" + pages + "): " + e.message);
    }
  },
});

const wasm = runtimeModules.wasm = Object.freeze({
  async compile(bytes) { return wasmCompile(bytes); },
  async compileFile(path) {
    if (typeof path !== "string" || path === "") throw new TypeError("compileFile() needs a path");
    return wasmCompile(takeBytes(await javaPromise((id) => ops.@OP_WASM_READ_FILE@(id, path))));
  },
  async dropModule(moduleId) { wasmModules.delete(String(moduleId)); },
  /** Forge's instantiate; Kiln adds `imports`, the import object for a module that imports functions or memory. */
  async instantiate(moduleId, wasiConfig = undefined, imports = undefined) {
    const entry = wasmModules.get(String(moduleId));
    if (!entry) throw wasmError("No WebAssembly module '" + moduleId + "'");
    if (wasiConfig != null) throw wasmError("instantiate(): Kiln has no WASI; pass imports (the third argument) instead");
    let instance;
    try {
      instance = new WebAssembly.Instance(entry.module, imports || {});
    } catch (e) {
      const needed = WebAssembly.Module.imports(entry.module).map((i) => i.module + "." + i.name + " (" + i.kind + ")");
      throw wasmError("instantiate(): " + e.message + (needed.length ? "; the module imports " + needed.join(", ") : ""));
    }
    const id = "wasm-instance-" + nextWasmId++;
    wasmInstances.set(id, { instance, moduleId: String(moduleId), signatures: entry.signatures });
    return Object.freeze({
      id,
      moduleId: String(moduleId),
      async call(name, ...args) {
        return wasmCall(id, name, args.map((a) => typeof a === "number" && !Number.isInteger(a) ? { type: "f64", value: a } : a))
          .map((r) => r.value);
      },
      getExports: () => wasm.getExports(id),
      memory: Object.freeze({
        read: (offset, length) => wasmMemoryApi.read(id, offset, length),
        write: (offset, data) => wasmMemoryApi.write(id, offset, data),
        size: () => wasmMemoryApi.size(id),
        grow: (pages) => wasmMemoryApi.grow(id, pages),
      }),
      async drop() { wasmInstances.delete(id); },
    });
  },
  async call(instanceId, funcName, args) { return wasmCall(instanceId, funcName, Array.from(args || [])); },
  async getExports(instanceId) {
    const { instance, moduleId, signatures } = wasmInstance(instanceId);
    const module = wasmModules.get(moduleId);
    const list = module ? WebAssembly.Module.exports(module.module)
      : Object.keys(instance.exports).map((name) => ({ name, kind: typeof instance.exports[name] === "function" ? "function" : "memory" }));
    return list.map(({ name, kind }) => signatures[name] ? { name, kind, params: signatures[name].params, results: signatures[name].results }
      : { name, kind });
  },
  types: Object.freeze({
    i32: (value) => ({ type: "i32", value }),
    i64: (value) => ({ type: "i64", value: typeof value === "bigint" ? Number(value) : value }),
    f32: (value) => ({ type: "f32", value }),
    f64: (value) => ({ type: "f64", value }),
  }),
  memory: wasmMemoryApi,
});
