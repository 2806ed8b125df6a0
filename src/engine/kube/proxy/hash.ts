/**
 * SHA-256 (FIPS 180-4) and RFC 4648 base32, in plain TypeScript: kube-proxy names its chains
 * from a SHA-256 digest, and the engine may not reach for node's or the browser's crypto.
 * Inputs are short (a service port name and an endpoint), but a 10,000-service cluster hashes
 * over 100,000 of them, so the compression loop keeps its state in locals.
 */

// Int32Array throughout: values above 2^31 read from a Uint32Array are heap numbers, and the
// compression loop would allocate one per read.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** UTF-8 bytes of a string (names may carry any Unicode a label allows). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

// Scratch space reused across calls: a benchmark cluster hashes 110,000 chain names.
const W = new Int32Array(64);
const H = new Int32Array(8);

/** SHA-256 of a string, UTF-8 encoded; ASCII (every chain-name input in practice) skips the encoder. */
export function sha256Text(text: string): Uint8Array {
  const n = text.length;
  let ascii = true;
  for (let i = 0; i < n && ascii; i++) if (text.charCodeAt(i) > 0x7f) ascii = false;
  if (!ascii) return sha256(utf8(text));
  const buf = scratch(n);
  for (let i = 0; i < n; i++) buf[i] = text.charCodeAt(i);
  return digest(buf, n);
}

/**
 * base32(sha256(text)) cut to its first 16 characters, as kube-proxy's chain names use it,
 * read straight from the hash state: those characters encode exactly the digest's first
 * 10 bytes (H0, H1 and the top half of H2).
 */
export function sha256Base32Prefix16(text: string): string {
  const n = text.length;
  let ascii = true;
  for (let i = 0; i < n && ascii; i++) if (text.charCodeAt(i) > 0x7f) ascii = false;
  if (!ascii) return base32(sha256(utf8(text)).subarray(0, 10));
  const buf = scratch(n);
  for (let i = 0; i < n; i++) buf[i] = text.charCodeAt(i);
  compress(buf, n);
  const h0 = H[0]! >>> 0;
  const h1 = H[1]! >>> 0;
  const h2 = H[2]! >>> 0;
  // 80 bits, five at a time, from the top: 32 of H0, 32 of H1, 16 of H2.
  const c = (w: number, shift: number) => B32_CODES[(w >>> shift) & 31]!;
  return String.fromCharCode(
    c(h0, 27),
    c(h0, 22),
    c(h0, 17),
    c(h0, 12),
    c(h0, 7),
    c(h0, 2),
    B32_CODES[((h0 & 3) << 3) | (h1 >>> 29)]!,
    c(h1, 24),
    c(h1, 19),
    c(h1, 14),
    c(h1, 9),
    c(h1, 4),
    B32_CODES[((h1 & 15) << 1) | (h2 >>> 31)]!,
    c(h2, 26),
    c(h2, 21),
    c(h2, 16),
  );
}

let pad = new Uint8Array(128);
function scratch(len: number): Uint8Array {
  const need = Math.ceil((len + 9) / 64) * 64;
  if (pad.length < need) pad = new Uint8Array(need);
  return pad;
}

export function sha256(data: Uint8Array): Uint8Array {
  const buf = scratch(data.length);
  buf.set(data);
  return digest(buf, data.length);
}

/** Hashes the first `len` bytes of `buffer` (a scratch buffer, padded in place) into H. */
function compress(buffer: Uint8Array, len: number): void {
  const bitLen = len * 8;
  const n = Math.ceil((len + 9) / 64) * 64;
  const padded = buffer;
  padded.fill(0, len, n);
  padded[len] = 0x80;
  // Lengths here never reach 2^32 bits, so the high word of the 64-bit length stays 0.
  padded[n - 4] = bitLen >>> 24;
  padded[n - 3] = (bitLen >>> 16) & 255;
  padded[n - 2] = (bitLen >>> 8) & 255;
  padded[n - 1] = bitLen & 255;
  H[0] = 0x6a09e667;
  H[1] = 0xbb67ae85 | 0;
  H[2] = 0x3c6ef372;
  H[3] = 0xa54ff53a | 0;
  H[4] = 0x510e527f;
  H[5] = 0x9b05688c | 0;
  H[6] = 0x1f83d9ab;
  H[7] = 0x5be0cd19;
  const w = W;
  for (let off = 0; off < n; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] = (padded[j]! << 24) | (padded[j + 1]! << 16) | (padded[j + 2]! << 8) | padded[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a: number = H[0]!,
      b: number = H[1]!,
      c: number = H[2]!,
      d: number = H[3]!,
      e: number = H[4]!,
      f: number = H[5]!,
      g: number = H[6]!,
      h: number = H[7]!;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[i]! + w[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    H[0] = (H[0]! + a) | 0;
    H[1] = (H[1]! + b) | 0;
    H[2] = (H[2]! + c) | 0;
    H[3] = (H[3]! + d) | 0;
    H[4] = (H[4]! + e) | 0;
    H[5] = (H[5]! + f) | 0;
    H[6] = (H[6]! + g) | 0;
    H[7] = (H[7]! + h) | 0;
  }
}

function digest(buffer: Uint8Array, len: number): Uint8Array {
  compress(buffer, len);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = (v >>> 16) & 255;
    out[i * 4 + 2] = (v >>> 8) & 255;
    out[i * 4 + 3] = v & 255;
  }
  return out;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32_CODES = Uint8Array.from(B32, (ch) => ch.charCodeAt(0));

/** RFC 4648 base32 with the standard alphabet and '=' padding (Go's base32.StdEncoding). */
export function base32(data: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
