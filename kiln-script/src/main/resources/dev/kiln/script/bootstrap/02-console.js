// console: log, info, debug (stdout), warn, error (stderr), with values formatted readably.
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

function inspect(value, depth = 0, seen = new Set()) {
  switch (typeof value) {
    case "string":
      return depth === 0 ? value : JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return value + "n";
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return (/^class\s/.test(Function.prototype.toString.call(value)) ? "[class " : "[Function: ")
        + (value.name || "(anonymous)") + "]";
  }
  if (value === null) return "null";
  if (seen.has(value)) return "[Circular]";
  if (value instanceof Error) return depth === 0 ? describe(value) : "[" + Error.prototype.toString.call(value) + "]";
  if (value instanceof Date) return isNaN(value) ? "Invalid Date" : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Promise) return "Promise {}";
  if (depth > 4) return Array.isArray(value) ? "[Array]" : "[Object]";
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, 100).map((v) => inspect(v, depth + 1, seen));
      if (value.length > 100) items.push("... " + (value.length - 100) + " more items");
      return wrap("[", items, "]");
    }
    if (ArrayBuffer.isView(value)) {
      const items = Array.from(value.slice(0, 100), (v) => inspect(v, depth + 1, seen));
      return value.constructor.name + "(" + value.length + ") " + wrap("[", items, "]");
    }
    if (value instanceof Map) {
      const items = [...value].map(([k, v]) => inspect(k, depth + 1, seen) + " => " + inspect(v, depth + 1, seen));
      return "Map(" + value.size + ") " + wrap("{", items, "}");
    }
    if (value instanceof Set) {
      const items = [...value].map((v) => inspect(v, depth + 1, seen));
      return "Set(" + value.size + ") " + wrap("{", items, "}");
    }
    const items = Object.keys(value).map((k) =>
      (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)) + ": " + inspect(value[k], depth + 1, seen));
    const ctor = Object.getPrototypeOf(value);
    const name = ctor === null ? "[Object: null prototype] "
      : ctor.constructor && ctor.constructor !== Object && ctor.constructor.name ? ctor.constructor.name + " " : "";
    return name + wrap("{", items, "}");
  } finally {
    seen.delete(value);
  }
}

function wrap(open, items, close) {
  if (items.length === 0) return open + close;
  const flat = open + " " + items.join(", ") + " " + close;
  if (flat.length <= 72 && !flat.includes("\n")) return flat;
  return open + "\n" + items.map((i) => "  " + i.split("\n").join("\n  ")).join(",\n") + "\n" + close;
}

function format(args) {
  let rest = Array.from(args);
  let out = "";
  if (typeof rest[0] === "string" && rest.length > 1 && rest[0].includes("%")) {
    const fmt = rest.shift();
    out = fmt.replace(/%([sdifoOjc%])/g, (m, c) => {
      if (c === "%") return "%";
      if (rest.length === 0) return m;
      const v = rest.shift();
      switch (c) {
        case "s": return typeof v === "string" ? v : inspect(v, 1);
        case "d": case "i": return typeof v === "bigint" ? v + "n" : String(c === "i" ? parseInt(v) : Number(v));
        case "f": return String(parseFloat(v));
        case "j": try { return JSON.stringify(v); } catch (e) { return "[Circular]"; }
        case "c": return "";
        default: return inspect(v, 1);
      }
    });
    if (rest.length === 0) return out;
    out += " ";
  }
  return out + rest.map((v) => inspect(v)).join(" ");
}

const LEVELS = { debug: 0, log: 1, info: 1, warn: 2, error: 3 };
const counts = new Map();
const timings = new Map();
let indent = "";
function print(level, args) {
  const text = format(args);
  ops.@OP_PRINT@(level, indent ? indent + text.split("\n").join("\n" + indent) : text);
}
const console = {};
for (const [name, level] of Object.entries(LEVELS)) {
  console[name] = function () { print(level, arguments); };
}
console.trace = function () {
  const e = new Error(format(arguments));
  e.name = "Trace";
  print(3, [e.stack]);
};
console.assert = function (condition, ...args) {
  if (!condition) print(3, ["Assertion failed" + (args.length ? ": " + format(args) : "")]);
};
console.dir = function (v) { print(1, [inspect(v, 1)]); };
console.table = console.log;
console.count = function (label = "default") {
  counts.set(label, (counts.get(label) || 0) + 1);
  print(1, [label + ": " + counts.get(label)]);
};
console.countReset = function (label = "default") { counts.delete(label); };
console.time = function (label = "default") { timings.set(label, Date.now()); };
console.timeLog = function (label = "default", ...args) {
  print(1, [label + ": " + (Date.now() - (timings.get(label) ?? Date.now())) + "ms", ...args]);
};
console.timeEnd = function (label = "default") {
  console.timeLog(label);
  timings.delete(label);
};
console.group = function () { if (arguments.length) print(1, arguments); indent += "  "; };
console.groupEnd = function () { indent = indent.slice(2); };
