/*
 * SHA-256 and SHA-512 compression functions (FIPS 180-4) over caller-owned
 * buffers, for SHA-crypt: its hundreds of thousands of rounds each hash about
 * a hundred bytes, where node:crypto's fixed cost per call (about 1.4 us)
 * outweighs the hashing itself. The caller lays out whole padded blocks once
 * and keeps the chaining state between calls, which also lets it start from a
 * saved mid-state. No data-dependent branches or table look-ups. Checked
 * against node:crypto in sha2-block.spec.ts.
 */

/** A SHA-2 compression function with its chaining state. */
export interface Sha2Block {
  readonly blockBytes: number;
  readonly digestBytes: number;
  /** The chaining state (big-endian words; SHA-512 keeps each 64-bit word as a high, low pair). */
  readonly state: Int32Array;
  /** Resets the state to the initial hash value. */
  init(): void;
  /** Compresses `blocks` whole blocks of `msg` starting at `offset`. */
  compress(msg: Uint8Array, offset: number, blocks: number): void;
  /** Writes the state as the digest bytes at `offset` of `out`. */
  writeDigest(out: Uint8Array, offset: number): void;
  /** Sets the state from digest bytes (the inverse of writeDigest). */
  readDigest(bytes: Uint8Array, offset: number): void;
}

/**
 * Length of a message of `length` bytes once padded (0x80, zeros and the
 * big-endian bit length), in bytes.
 */
export function paddedLength(length: number, blockBytes: number): number {
  const lengthField = blockBytes / 8; // 8 bytes for SHA-256, 16 for SHA-512
  return Math.ceil((length + 1 + lengthField) / blockBytes) * blockBytes;
}

/**
 * Writes the padding of a message of `totalLength` bytes whose last
 * `tailLength` bytes sit at the start of `buf` (earlier whole blocks having
 * been compressed already). `buf` must be paddedLength(tailLength) long.
 */
export function writePadding(buf: Uint8Array, tailLength: number, totalLength: number, blockBytes: number): void {
  buf.fill(0, tailLength);
  buf[tailLength] = 0x80;
  // Bit length, big-endian, in the last bytes; messages here are far below 2^53 bits.
  let bits = totalLength * 8;
  for (let i = buf.length - 1; bits > 0; i--) {
    buf[i] = bits % 256;
    bits = Math.floor(bits / 256);
  }
}

function readWord(msg: Uint8Array, j: number): number {
  return (msg[j] << 24) | (msg[j + 1] << 16) | (msg[j + 2] << 8) | msg[j + 3];
}

function writeWord(out: Uint8Array, j: number, word: number): void {
  out[j] = word >>> 24;
  out[j + 1] = word >>> 16;
  out[j + 2] = word >>> 8;
  out[j + 3] = word;
}

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV256 = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

export class Sha256Block implements Sha2Block {
  readonly blockBytes = 64;
  readonly digestBytes = 32;
  readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);

  constructor() {
    this.init();
  }

  init(): void {
    this.state.set(IV256);
  }

  compress(msg: Uint8Array, offset: number, blocks: number): void {
    const w = this.w;
    const s = this.state;
    for (let block = 0; block < blocks; block++, offset += 64) {
      for (let t = 0; t < 16; t++) w[t] = readWord(msg, offset + 4 * t);
      for (let t = 16; t < 64; t++) {
        const x = w[t - 15];
        const y = w[t - 2];
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      let a = s[0];
      let b = s[1];
      let c = s[2];
      let d = s[3];
      let e = s[4];
      let f = s[5];
      let g = s[6];
      let h = s[7];
      for (let t = 0; t < 64; t++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K256[t] + w[t]) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      s[0] = (s[0] + a) | 0;
      s[1] = (s[1] + b) | 0;
      s[2] = (s[2] + c) | 0;
      s[3] = (s[3] + d) | 0;
      s[4] = (s[4] + e) | 0;
      s[5] = (s[5] + f) | 0;
      s[6] = (s[6] + g) | 0;
      s[7] = (s[7] + h) | 0;
    }
  }

  writeDigest(out: Uint8Array, offset: number): void {
    for (let i = 0; i < 8; i++) writeWord(out, offset + 4 * i, this.state[i]);
  }

  readDigest(bytes: Uint8Array, offset: number): void {
    for (let i = 0; i < 8; i++) this.state[i] = readWord(bytes, offset + 4 * i);
  }
}

// SHA-512 constants and initial value as (high, low) 32-bit pairs.
const K512 = new Int32Array([
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc, 0x3956c25b,
  0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118, 0xd807aa98, 0xa3030242,
  0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2, 0x72be5d74, 0xf27b896f, 0x80deb1fe,
  0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694, 0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3,
  0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65, 0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc,
  0xbd41fbd4, 0x76f988da, 0x831153b5, 0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f,
  0xbf597fc7, 0xbeef0ee4, 0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967,
  0x0a0e6e70, 0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b, 0xa2bfe8a1,
  0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30, 0xd192e819, 0xd6ef5218,
  0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8, 0x19a4c116, 0xb8d2d0c8, 0x1e376c08,
  0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8, 0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb,
  0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3, 0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814,
  0xa1f0ab72, 0x8cc70208, 0x1a6439ec, 0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915,
  0xc67178f2, 0xe372532b, 0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f,
  0xee6ed178, 0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c, 0x4cc5d4be,
  0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
]);
const IV512 = new Int32Array([
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1, 0x510e527f,
  0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
]);

const TWO_32 = 4294967296;
// High and low halves apart: indexing two flat arrays is cheaper than pairs.
const K512_HIGH = K512.filter((_, i) => i % 2 === 0);
const K512_LOW = K512.filter((_, i) => i % 2 === 1);

/**
 * SHA-512 on 32-bit halves. Sums of several 64-bit words are taken on the
 * low halves as exact doubles (below 2^35), the carry added to the high
 * halves, and both truncated with `| 0`.
 */
export class Sha512Block implements Sha2Block {
  readonly blockBytes = 128;
  readonly digestBytes = 64;
  readonly state = new Int32Array(16);
  private readonly wh = new Int32Array(80);
  private readonly wl = new Int32Array(80);

  constructor() {
    this.init();
  }

  init(): void {
    this.state.set(IV512);
  }

  compress(msg: Uint8Array, offset: number, blocks: number): void {
    const wh = this.wh;
    const wl = this.wl;
    const s = this.state;
    for (let block = 0; block < blocks; block++, offset += 128) {
      for (let t = 0; t < 16; t++) {
        wh[t] = readWord(msg, offset + 8 * t);
        wl[t] = readWord(msg, offset + 8 * t + 4);
      }
      for (let t = 16; t < 80; t++) {
        // sigma0 of W[t-15]: rotr 1 ^ rotr 8 ^ shr 7
        let xh = wh[t - 15];
        let xl = wl[t - 15];
        const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
        const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
        // sigma1 of W[t-2]: rotr 19 ^ rotr 61 ^ shr 6
        xh = wh[t - 2];
        xl = wl[t - 2];
        const s1h = ((xh >>> 19) | (xl << 13)) ^ ((xl >>> 29) | (xh << 3)) ^ (xh >>> 6);
        const s1l = ((xl >>> 19) | (xh << 13)) ^ ((xh >>> 29) | (xl << 3)) ^ ((xl >>> 6) | (xh << 26));
        const lo = (wl[t - 16] >>> 0) + (s0l >>> 0) + (wl[t - 7] >>> 0) + (s1l >>> 0);
        wh[t] = (wh[t - 16] + s0h + wh[t - 7] + s1h + ((lo / TWO_32) | 0)) | 0;
        wl[t] = lo | 0;
      }
      let ah = s[0], al = s[1], bh = s[2], bl = s[3], ch = s[4], cl = s[5], dh = s[6], dl = s[7];
      let eh = s[8], el = s[9], fh = s[10], fl = s[11], gh = s[12], gl = s[13], hh = s[14], hl = s[15];
      for (let t = 0; t < 80; t++) {
        // T1 = h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t], Sigma1 = rotr 14 ^ rotr 18 ^ rotr 41
        const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
        const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
        const t1Sum = (hl >>> 0) + (S1l >>> 0) + (((el & fl) ^ (~el & gl)) >>> 0) + (K512_LOW[t] >>> 0) + (wl[t] >>> 0);
        const t1h = (hh + S1h + ((eh & fh) ^ (~eh & gh)) + K512_HIGH[t] + wh[t] + ((t1Sum / TWO_32) | 0)) | 0;
        const t1l = t1Sum >>> 0;
        // T2 = Sigma0(a) + Maj(a, b, c), Sigma0 = rotr 28 ^ rotr 34 ^ rotr 39
        const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
        const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
        hh = gh;
        hl = gl;
        gh = fh;
        gl = fl;
        fh = eh;
        fl = el;
        const eSum = (dl >>> 0) + t1l;
        eh = (dh + t1h + ((eSum / TWO_32) | 0)) | 0;
        el = eSum | 0;
        dh = ch;
        dl = cl;
        const aSum = t1l + (S0l >>> 0) + (((al & bl) ^ (al & cl) ^ (bl & cl)) >>> 0);
        const aHigh = (t1h + S0h + ((ah & bh) ^ (ah & ch) ^ (bh & ch)) + ((aSum / TWO_32) | 0)) | 0;
        ch = bh;
        cl = bl;
        bh = ah;
        bl = al;
        ah = aHigh;
        al = aSum | 0;
      }
      addPair(s, 0, ah, al);
      addPair(s, 2, bh, bl);
      addPair(s, 4, ch, cl);
      addPair(s, 6, dh, dl);
      addPair(s, 8, eh, el);
      addPair(s, 10, fh, fl);
      addPair(s, 12, gh, gl);
      addPair(s, 14, hh, hl);
    }
  }

  writeDigest(out: Uint8Array, offset: number): void {
    for (let i = 0; i < 16; i++) writeWord(out, offset + 4 * i, this.state[i]);
  }

  readDigest(bytes: Uint8Array, offset: number): void {
    for (let i = 0; i < 16; i++) this.state[i] = readWord(bytes, offset + 4 * i);
  }
}

function addPair(s: Int32Array, i: number, h: number, l: number): void {
  const lo = (s[i + 1] >>> 0) + (l >>> 0);
  s[i] = (s[i] + h + ((lo / TWO_32) | 0)) | 0;
  s[i + 1] = lo | 0;
}
