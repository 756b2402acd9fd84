import { createWindow } from "runtime:window";
import { handleStream, IpcError } from "runtime:ipc";
// The same CRC-32 code the page checks the bytes with (see web/crc32.js).
import { Crc32 } from "../web/crc32.js";

// Kiln's script host has no file-system module yet, so the "file" is made here: pseudo-random bytes
// from a fixed seed, the same on every run. The streaming, the progress and the cancel are the point;
// reading a real file would only change where each chunk comes from.
const CHUNK_SIZE = 1024 * 1024;
const MAX_SIZE = 1024 * 1024 * 1024;
const SEED = 0x4b494c4e; // "KILN"

interface FileRequest {
  size: number;
}

/** The generated file's bytes in chunks of chunkSize: xorshift32 words, little-endian. */
function* generatedFile(size: number, chunkSize: number): Generator<Uint8Array> {
  let x = SEED;
  for (let offset = 0; offset < size; offset += chunkSize) {
    const words = new Uint32Array(Math.min(chunkSize, size - offset) / 4);
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x;
    }
    yield new Uint8Array(words.buffer);
  }
}

// The page reads this stream with window.runtime.stream("file", { size }). What it gets, in order:
// a header (so that it knows the size before the bytes), the bytes as Uint8Array chunks, and a trailer
// with the CRC-32 of what was sent, which the page compares with its own.
//
// Kiln pulls this generator only as far as the page has asked (its highWaterMark, then more as it
// reads), so a slow page never makes the app hold more than a few chunks: the loop below simply
// waits at `yield` until the page wants more.
handleStream("file", async function* ({ size }: FileRequest, ctx) {
  if (!(Number.isInteger(size) && size > 0 && size <= MAX_SIZE && size % 4 === 0)) {
    throw new IpcError("BAD_SIZE", `The size must be a whole number of 4-byte words up to 1 GiB, got ${size}`, { size, max: MAX_SIZE });
  }
  const name = `generated-${size / (1024 * 1024)}MiB.bin`;
  console.log(`file: sending ${name} (${size} bytes) to ${ctx.windowId}`);

  // When the page stops reading (its Cancel button, or the window closing), Kiln aborts ctx.signal
  // and ends this generator at its `yield`; nothing more is generated for nobody.
  let sent = 0;
  ctx.signal.addEventListener("abort", () => {
    console.log(`file: cancelled by ${ctx.windowId} after ${sent} of ${size} bytes: ${(ctx.signal.reason as IpcError).message}`);
  });

  yield { name, size, chunkSize: CHUNK_SIZE };
  const crc = new Crc32();
  for (const chunk of generatedFile(size, CHUNK_SIZE)) {
    if (ctx.signal.aborted) return;
    crc.update(chunk);
    sent += chunk.length;
    yield chunk;
  }
  yield { crc32: crc.hex() };
  console.log(`file: sent ${name} to ${ctx.windowId}, CRC-32 ${crc.hex()}`);
});

await createWindow({ id: "main", title: "File stream" });
