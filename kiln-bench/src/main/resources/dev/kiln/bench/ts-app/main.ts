// The bench app of the Kiln TypeScript host: the same measurements as the Java hosts
// (dev.kiln.bench.Scenarios), written as an ordinary Kiln app against runtime:ipc.
// Lines starting with "KB " go to the bench (dev.kiln.bench.ScriptBenchChild). Date.now() has
// 1 ms resolution: round trips are timed by the bench's Java clock instead (KB CLOCK/CLOCKEND),
// which stamps the window's events on one channel as the engine receives them.
import { closeWindow, createWindow } from "runtime:window";
import { handle, handleStream, invokeWindow, onChannel, sendToWindow } from "runtime:ipc";

interface Plan {
  name: string;
  h2rMessages: number;
  r2hMessages: number;
  repeats: number;
  roundTrips: number;
  largeSizes: number[];
  soakMessages: number;
  binaryBytes: number;
  streamBytes: number;
}

const PLAN: Plan = JSON.parse("@PLAN@");
const W = "bench";
const MB = 1024 * 1024;
const TRIP_BLOCKS = 5; // as dev.kiln.bench.Scenarios.TRIP_BLOCKS
const SLOW_CONSUMER_MS = 3; // as dev.kiln.bench.BinaryScenarios.SLOW_CONSUMER_MS
let moved = 0;
let lastSendLoopMs = 0; // how long the last host->renderer send loop took (a diagnostic)

function say(line: string): void {
  console.log("KB " + line);
}

class BenchFailure extends Error {}

interface Expected<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: Error) => void;
}

/** Settled by nothing: what a handler holds between runs (no timer, so the app can end). */
const idle = { promise: Promise.resolve(), resolve: () => {}, reject: () => {} } as Expected<any>;

/** A promise settled by a handler, with a timeout so that a lost message fails the run. */
function expect<T>(what: string, seconds = 120): Expected<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    const timer = setTimeout(() => rej(new BenchFailure("Timed out after " + seconds + " s waiting for " + what)), seconds * 1000);
    resolve = (v) => { clearTimeout(timer); res(v); };
    reject = (e) => { clearTimeout(timer); rej(e); };
  });
  return { promise, resolve, reject };
}

const pads: string[] = [];
for (let digits = 1; digits <= 10; digits++) pads[digits] = "x".repeat(Math.max(0, 37 - digits));
const small = (i: number) => ({ s: i, d: pads[String(i).length] });

// ---- handlers (registered before the window opens) ----
const ready = expect<void>("the page to say it is ready", 60);
onChannel("page-ready", () => ready.resolve());

let h2rDone: Expected<any> = idle;
onChannel("h2r-done", (p: any) => h2rDone.resolve({ p, t: Date.now() }));

let r2h = { expected: 0, target: 0, done: idle as Expected<number>, failed: false };
onChannel("r2h", (p: any) => {
  if (p.s !== r2h.expected && !r2h.failed) {
    r2h.failed = true;
    r2h.done.reject(new BenchFailure("renderer->host lost or reordered messages: expected " + r2h.expected + ", got " + p.s));
  }
  r2h.expected = p.s + 1;
  if (p.s === r2h.target - 1 && !r2h.failed) r2h.done.resolve(Date.now());
});

let rt = { total: 0, done: idle as Expected<number> };
onChannel("ping", (p: any, windowId: string) => {
  if (p.s >= rt.total) rt.done.resolve(Date.now());
  else sendToWindow(windowId, "pong", { s: p.s });
});
onChannel("rt-error", (p: any) => rt.done.reject(new BenchFailure("round trip: " + p.error)));

// Calls from the page: answered at once.
handle("inv", (p: any) => ({ s: p.s }));
let invokesDone: Expected<any> = idle;
onChannel("inv-done", (p: any) => invokesDone.resolve(p));

let bigAck: Expected<any> = idle;
let bigPrepped: Expected<any> = idle;
let bigR2h: Expected<any> = idle;
onChannel("big-ack", (p: any) => bigAck.resolve({ p, t: Date.now() }));
onChannel("big-prepped", (p: any) => bigPrepped.resolve(p));
onChannel("big-r2h", (p: any) => bigR2h.resolve({ p, t: Date.now() }));

// Binary payloads and streams (as dev.kiln.bench.BinaryScenarios): the page answers on "bin-ack".
let binAck: Expected<any> = idle;
let binR2h: Expected<any> = idle;
onChannel("bin-ack", (p: any) => binAck.resolve({ p, t: Date.now() }));
onChannel("bin-r2h", (p: any) => binR2h.resolve({ p, t: Date.now() }));
// Chunk k is 1 MiB of value k & 255, made as the page's credit asks for it.
handleStream("bin-stream", function* (p: any) {
  for (let k = 0; k < p.chunks; k++) yield new Uint8Array(MB).fill(k & 255);
});

// ---- measurements ----
async function hostToRenderer(n: number): Promise<number> {
  h2rDone = expect("the page to confirm " + n + " messages (lost messages?)");
  await sendToWindow(W, "h2r-start", { n });
  const t0 = Date.now();
  for (let i = 0; i < n; i++) sendToWindow(W, "h2r", small(i));
  lastSendLoopMs = Date.now() - t0;
  const done = await h2rDone.promise;
  if (done.p.received !== n || done.p.error !== null) {
    throw new BenchFailure("host->renderer lost or reordered messages: sent " + n + ", the page got "
      + done.p.received + (done.p.error ? ", " + done.p.error : ""));
  }
  moved += n;
  return n / (Math.max(1, done.t - t0) / 1000);
}

async function rendererToHost(n: number): Promise<number> {
  r2h = { expected: 0, target: n, done: expect("the host to receive " + n + " messages (lost messages?)"), failed: false };
  const t0 = Date.now();
  sendToWindow(W, "r2h-start", { n });
  const t1 = await r2h.done.promise;
  moved += n;
  return n / (Math.max(1, t1 - t0) / 1000);
}

async function roundTrips(n: number): Promise<number> {
  const warm = Math.max(10, Math.floor(n / 10));
  rt = { total: warm + n, done: expect("round trip " + (warm + n) + " to finish (lost messages?)") };
  say("CLOCK rt ping " + (warm + n) + " " + warm); // the bench starts its Java clock on the pings now
  const t0 = Date.now();
  sendToWindow(W, "rt-start", { n: warm + n });
  const t1 = await rt.done.promise;
  say("CLOCKEND rt");
  moved += 2 * (warm + n);
  return ((t1 - t0) * 1000) / (warm + n); // mean in us, by the 1 ms clock: a cross-check only
}

// Renderer-to-host calls: the page invokes, this app's handler answers, the page invokes again
// once the promise resolved. Calls are not events, so the Java clock cannot see them: the page sends
// an "inv-mark" right after each invoke, in the same batch (behind the call, so that the call's way to
// this app does not wait for it), the Java clock stamps it as the engine receives the batch, and two
// stamps bracket one full trip, as two pings do.
async function rendererToHostInvokes(n: number): Promise<void> {
  const warm = Math.max(10, Math.floor(n / 10));
  const total = warm + n;
  invokesDone = expect("the page's " + (total + 1) + " invokes to finish");
  say("CLOCK invoke_r2h inv-mark " + total + " " + warm);
  sendToWindow(W, "inv-start", { n: total + 1, marks: true });
  const d = await invokesDone.promise;
  if (d.error !== null || d.calls !== total + 1) throw new BenchFailure("renderer->host invoke: " + JSON.stringify(d));
  say("CLOCKEND invoke_r2h");
}

// Host-to-renderer calls: invokeWindow one after the other, each once the previous one resolved.
// The page's handler sends an "hinv-mark" with its answer (same batch, just before it), which the
// Java clock stamps as the engine receives the answer.
async function hostToRendererInvokes(n: number): Promise<void> {
  const warm = Math.max(10, Math.floor(n / 10));
  const total = warm + n;
  say("CLOCK invoke_h2r hinv-mark " + total + " " + warm);
  sendToWindow(W, "hinv-start", { marks: true }); // reaches the page before the first call
  for (let s = 0; s <= total; s++) {
    const r = await invokeWindow(W, "hinv", { s });
    if (r === null || typeof r !== "object" || r.s !== s) {
      throw new BenchFailure("host->renderer invoke " + s + " got " + JSON.stringify(r));
    }
  }
  say("CLOCKEND invoke_h2r");
}

async function largeHostToRenderer(bytes: number): Promise<number> {
  bigAck = expect("the page to acknowledge " + bytes + " bytes");
  const payload = { s: 7, d: "x".repeat(bytes) };
  const t0 = Date.now();
  sendToWindow(W, "big-h2r", payload);
  const a = await bigAck.promise;
  if (a.p.len !== bytes || a.p.s !== 7) throw new BenchFailure("host->renderer large payload arrived damaged");
  moved += 2;
  return a.t - t0;
}

async function largeRendererToHost(bytes: number): Promise<number> {
  bigPrepped = expect("the page to build " + bytes + " bytes");
  sendToWindow(W, "big-prep", { bytes });
  await bigPrepped.promise;
  bigR2h = expect("the host to receive " + bytes + " bytes");
  const t0 = Date.now();
  sendToWindow(W, "big-r2h-go", { s: 9 });
  const g = await bigR2h.promise;
  if (g.p.d.length !== bytes || g.p.s !== 9) throw new BenchFailure("renderer->host large payload arrived damaged");
  moved += 4;
  return g.t - t0;
}

/** Byte k is k & 255, as in the files the page fetches for the ceiling. */
function pattern(bytes: number): Uint8Array {
  const b = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) b[i] = i & 255;
  return b;
}

const mbPerS = (bytes: number, ms: number) => bytes / 1e6 / (Math.max(1, ms) / 1000);

function checkAck(p: any, bytes: number, what: string): void {
  if (p.error !== null || p.len !== bytes) throw new BenchFailure(what + " arrived damaged: " + JSON.stringify(p));
}

async function binaryHostToPage(bytes: number): Promise<number> {
  const payload = { s: 7, b: pattern(bytes) };
  binAck = expect("the page to confirm " + bytes + " binary bytes", 240);
  const t0 = Date.now();
  sendToWindow(W, "bin-h2r", payload);
  const a = await binAck.promise;
  checkAck(a.p, bytes, "host->page binary payload");
  return mbPerS(bytes, a.t - t0);
}

async function binaryPageToHost(bytes: number): Promise<number> {
  binAck = expect("the page to make " + bytes + " bytes", 240);
  sendToWindow(W, "bin-prep", { bytes });
  await binAck.promise;
  binR2h = expect("the host to receive " + bytes + " binary bytes", 240);
  const t0 = Date.now();
  sendToWindow(W, "bin-r2h-go", {});
  const g = await binR2h.promise;
  const b = g.p.b;
  if (!(b instanceof Uint8Array) || b.length !== bytes || b[0] !== 0 || b[bytes - 1] !== ((bytes - 1) & 255)) {
    throw new BenchFailure("page->host binary payload arrived damaged");
  }
  return mbPerS(bytes, g.t - t0);
}

/** A stream of 1 MiB chunks to the page, which waits delayMs after each; milliseconds. */
async function streamToPage(bytes: number, delayMs: number): Promise<number> {
  const chunks = bytes / MB;
  binAck = expect("the page to read a stream of " + chunks + " chunks", 240);
  const t0 = Date.now();
  sendToWindow(W, "bin-stream-go", { chunks, chunk: MB, delayMs });
  const d = await binAck.promise;
  if (d.p.error !== null || d.p.chunks !== chunks || d.p.bytes !== bytes) {
    throw new BenchFailure("stream host->page: " + JSON.stringify(d.p));
  }
  return d.t - t0;
}

/** The ceiling: the page fetches the same number of static bytes from the app's own server. */
async function pageFetch(bytes: number): Promise<number> {
  binAck = expect("the page to fetch " + bytes + " bytes", 240);
  const t0 = Date.now();
  sendToWindow(W, "bin-fetch-go", { url: "ceiling-" + bytes + ".bin" });
  const a = await binAck.promise;
  checkAck(a.p, bytes, "page fetch");
  return mbPerS(bytes, a.t - t0);
}

async function binaryRuns(out: Record<string, number>): Promise<void> {
  const bin = PLAN.binaryBytes;
  const stream = PLAN.streamBytes;
  out["kiln.bin_h2r_mb_s"] = await median(PLAN.repeats, () => binaryHostToPage(bin));
  out["kiln.bin_r2h_mb_s"] = await median(PLAN.repeats, () => binaryPageToHost(bin));
  say("LOG binary host->page " + out["kiln.bin_h2r_mb_s"].toFixed(1) + " MB/s, page->host "
    + out["kiln.bin_r2h_mb_s"].toFixed(1) + " MB/s");
  const ms = await streamToPage(stream, 0);
  out["kiln.stream_mb_s"] = mbPerS(stream, ms);
  out["kiln.stream_chunks_s"] = stream / MB / (Math.max(1, ms) / 1000);
  say("RSS start"); // the bench notes this process's memory, and its peak until "RSS end"
  out["kiln.stream_slow_mb_s"] = mbPerS(stream, await streamToPage(stream, SLOW_CONSUMER_MS));
  say("RSS end");
  say("LOG stream " + out["kiln.stream_mb_s"].toFixed(1) + " MB/s, to a slow page "
    + out["kiln.stream_slow_mb_s"].toFixed(1) + " MB/s");
  out["kiln.ceiling_fetch_bin_mb_s"] = await median(PLAN.repeats, () => pageFetch(bin));
  out["kiln.ceiling_fetch_stream_mb_s"] = await pageFetch(stream);
}

async function median(repeats: number, run: () => Promise<number>): Promise<number> {
  const v: number[] = [];
  for (let i = 0; i < repeats; i++) v.push(await run());
  v.sort((a, b) => a - b);
  return v[Math.floor(repeats / 2)];
}

async function main(): Promise<void> {
  await createWindow({ id: W, url: "app://bench.html", title: "Kiln bench (TypeScript host)", width: 800, height: 600 });
  await ready.promise;
  say("READY"); // the bench reads this process's memory before this returns
  // The soak first: memory after a known number of messages, and every host warmed up alike.
  while (moved < PLAN.soakMessages) {
    const n = Math.min(100000, Math.max(1000, Math.ceil((PLAN.soakMessages - moved) / 2)));
    await hostToRenderer(n);
    await rendererToHost(n);
  }
  say("MEM " + moved); // memory read again before this returns
  const out: Record<string, number> = {};
  say("CPU h2r"); // the bench notes this process's CPU time here and at the next mark
  out["kiln.h2r_msgs_s"] = await median(PLAN.repeats, () => hostToRenderer(PLAN.h2rMessages));
  say("CPU h2r " + PLAN.repeats * PLAN.h2rMessages);
  out["kiln.h2r_send_call_us"] = (lastSendLoopMs * 1000) / PLAN.h2rMessages;
  say("LOG host->renderer " + Math.round(out["kiln.h2r_msgs_s"]) + " msg/s");
  say("CPU r2h");
  out["kiln.r2h_msgs_s"] = await median(PLAN.repeats, () => rendererToHost(PLAN.r2hMessages));
  say("CPU r2h " + PLAN.repeats * PLAN.r2hMessages);
  say("LOG renderer->host " + Math.round(out["kiln.r2h_msgs_s"]) + " msg/s");
  // In blocks, each running the three kinds of trips in turn, as dev.kiln.bench.Scenarios does.
  const perBlock = Math.max(1, Math.floor(PLAN.roundTrips / TRIP_BLOCKS));
  let meanSum = 0;
  for (let b = 0; b < TRIP_BLOCKS; b++) {
    meanSum += await roundTrips(perBlock);
    await rendererToHostInvokes(perBlock);
    await hostToRendererInvokes(perBlock);
  }
  out["kiln.rt_mean_us_ms_clock"] = meanSum / TRIP_BLOCKS;
  for (const size of PLAN.largeSizes) {
    const mb = size / MB + "mb";
    out["kiln.big_h2r_" + mb + "_ms"] = await median(PLAN.repeats, () => largeHostToRenderer(size));
    out["kiln.big_r2h_" + mb + "_ms"] = await median(PLAN.repeats, () => largeRendererToHost(size));
    say("LOG " + mb + " host->renderer " + out["kiln.big_h2r_" + mb + "_ms"] + " ms, renderer->host "
      + out["kiln.big_r2h_" + mb + "_ms"] + " ms");
  }
  if (PLAN.binaryBytes > 0) await binaryRuns(out);
  say("RESULT " + JSON.stringify(out));
}

// Closing the last window ends the app.
main().then(
  () => closeWindow(W),
  (e) => {
    say("FAIL " + (e && e.message ? e.message : String(e)));
    closeWindow(W);
  },
);
