// CRC-32, the checksum of zip, gzip and PNG. The page (index.html) and the app (src/main.ts) both
// import this one file, so a mismatch can only mean different bytes, never two different checksums.

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** A running CRC-32: update() with each piece of a file in order, then hex(). */
export class Crc32 {
  constructor() {
    this.crc = 0xffffffff;
  }

  update(bytes) {
    let c = this.crc;
    for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    this.crc = c;
    return this;
  }

  hex() {
    return ((this.crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, "0");
  }
}
