// TextEncoder and TextDecoder (UTF-8 only).
// Part of the script host's bootstrap: ScriptProtocol.java joins these files, in name order, into one
// function of `ops` (the Java operations), so that they share one scope, and fills in its tokens (names, codes, limits).

class TextEncoder {
  get encoding() { return "utf-8"; }
  encode(input = "") {
    return encodeUtf8(String(input));
  }
  encodeInto(source, destination) {
    const bytes = encodeUtf8(String(source));
    let written = 0;
    let read = 0;
    // Count whole characters that fit.
    for (const ch of String(source)) {
      const size = utf8Size(ch.codePointAt(0));
      if (written + size > destination.length) break;
      written += size;
      read += ch.length;
    }
    destination.set(bytes.subarray(0, written));
    return { read, written };
  }
}

function utf8Size(cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function encodeUtf8(s) {
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else {
        cp = 0xfffd;
      }
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    if (cp < 0x80) {
      out[n++] = cp;
    } else if (cp < 0x800) {
      out[n++] = 0xc0 | (cp >> 6);
      out[n++] = 0x80 | (cp & 63);
    } else if (cp < 0x10000) {
      out[n++] = 0xe0 | (cp >> 12);
      out[n++] = 0x80 | ((cp >> 6) & 63);
      out[n++] = 0x80 | (cp & 63);
    } else {
      out[n++] = 0xf0 | (cp >> 18);
      out[n++] = 0x80 | ((cp >> 12) & 63);
      out[n++] = 0x80 | ((cp >> 6) & 63);
      out[n++] = 0x80 | (cp & 63);
    }
  }
  return out.slice(0, n);
}

class TextDecoder {
  constructor(label = "utf-8", options = {}) {
    const l = String(label).trim().toLowerCase();
    if (l !== "utf-8" && l !== "utf8" && l !== "unicode-1-1-utf-8") {
      throw new RangeError("TextDecoder supports only utf-8, got '" + label + "'");
    }
    this.fatal = Boolean(options.fatal);
    this.ignoreBOM = Boolean(options.ignoreBOM);
  }
  get encoding() { return "utf-8"; }
  decode(input) {
    if (input === undefined) return "";
    const bytes = input instanceof ArrayBuffer ? new Uint8Array(input)
      : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    let i = 0;
    if (!this.ignoreBOM && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
    const parts = [];
    let chunk = [];
    const bad = () => {
      if (this.fatal) throw new TypeError("The encoded data was not valid utf-8");
      return 0xfffd;
    };
    while (i < bytes.length) {
      const b = bytes[i];
      let cp;
      let need = 0;
      if (b < 0x80) { cp = b; } else if (b >= 0xc2 && b < 0xe0) { cp = b & 31; need = 1; } else if (b >= 0xe0 && b < 0xf0) { cp = b & 15; need = 2; } else if (b >= 0xf0 && b < 0xf5) { cp = b & 7; need = 3; } else { cp = bad(); }
      i++;
      let ok = true;
      for (let k = 0; k < need; k++) {
        const c = bytes[i];
        if (c === undefined || (c & 0xc0) !== 0x80) { ok = false; break; }
        cp = (cp << 6) | (c & 63);
        i++;
      }
      if (!ok || (need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff))) {
        cp = bad();
      }
      chunk.push(cp);
      if (chunk.length >= 8192) { parts.push(String.fromCodePoint.apply(null, chunk)); chunk = []; }
    }
    parts.push(String.fromCodePoint.apply(null, chunk));
    return parts.join("");
  }
}

// btoa and atob: Base64 of "binary strings" (one character per byte), which browsers and Deno have
// and Forge's apps use (the svelte example encodes its vault's key material with them).
const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function btoa(data) {
  if (arguments.length === 0) throw new TypeError("btoa() needs 1 argument");
  const s = String(data);
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) {
      throw new DOMException("btoa(): the character at index " + i
        + " is outside Latin-1; encode text with TextEncoder first", "InvalidCharacterError");
    }
  }
  let out = "";
  for (let i = 0; i < s.length; i += 3) {
    const left = s.length - i;
    const n = (s.charCodeAt(i) << 16) | ((left > 1 ? s.charCodeAt(i + 1) : 0) << 8) | (left > 2 ? s.charCodeAt(i + 2) : 0);
    out += BASE64_ALPHABET[(n >> 18) & 63] + BASE64_ALPHABET[(n >> 12) & 63]
      + (left > 1 ? BASE64_ALPHABET[(n >> 6) & 63] : "=") + (left > 2 ? BASE64_ALPHABET[n & 63] : "=");
  }
  return out;
}

function atob(data) {
  if (arguments.length === 0) throw new TypeError("atob() needs 1 argument");
  // the forgiving-base64 decode of the HTML standard: ASCII whitespace is ignored, padding optional
  let s = String(data).replace(/[\t\n\f\r ]/g, "");
  if (s.length % 4 === 0) s = s.replace(/={1,2}$/, "");
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) {
    throw new DOMException("atob(): the string is not valid Base64", "InvalidCharacterError");
  }
  let out = "";
  let bits = 0;
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    bits = (bits << 6) | BASE64_ALPHABET.indexOf(s[i]);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += String.fromCharCode((bits >> count) & 0xff);
    }
  }
  return out;
}
