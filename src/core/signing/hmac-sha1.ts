import { createHash } from 'node:crypto';

/*
 * HMAC-SHA1 in JavaScript, for the default digest only. Every node:crypto
 * call costs about 2 microseconds of fixed overhead (object set-up, OpenSSL
 * dispatch), more than hashing a whole token takes here, and it dominated
 * loads. The key's inner and outer pad blocks are hashed once; a MAC is then
 * the token's own blocks plus one more. SHA-1 has no data-dependent branches
 * or table look-ups, so this adds no timing side channel. Checked against
 * node:crypto in hmac-sha1.spec.ts.
 */

const W = new Int32Array(80);
// Scratch for the message bytes: a token is at most 64 KiB; longer text goes to node:crypto.
const MAX_TEXT = 64 * 1024;
const BYTES = new Uint8Array(MAX_TEXT + 128);
const ENCODER = new TextEncoder();

/**
 * One SHA-1 compression of the 16 words in W[0..15] into state (FIPS 180-4, 6.1.2).
 * The message schedule is extended inside the rounds that use it (written
 * out in each loop: a helper call measured slower), and Ch and
 * Maj use the equivalent forms with fewer operations (d ^ (b & (c ^ d)) and
 * (b & c) | (d & (b | c))): about a tenth faster than a separate schedule loop.
 */
function compress(state: Int32Array): void {
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let t = 0;
  for (; t < 16; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + 0x5a827999 + W[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (; t < 20; t++) {
    const x = W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16];
    const w = (W[t] = (x << 1) | (x >>> 31));
    const temp = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + 0x5a827999 + w) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (; t < 40; t++) {
    const x = W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16];
    const w = (W[t] = (x << 1) | (x >>> 31));
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (; t < 60; t++) {
    const x = W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16];
    const w = (W[t] = (x << 1) | (x >>> 31));
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e - 0x70e44324 + w) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (; t < 80; t++) {
    const x = W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16];
    const w = (W[t] = (x << 1) | (x >>> 31));
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
}

const INITIAL = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0);

function padState(key: Uint8Array, pad: number): Int32Array {
  const state = Int32Array.from(INITIAL);
  for (let i = 0; i < 16; i++) {
    let word = 0;
    for (let j = 0; j < 4; j++) word = (word << 8) | ((key[i * 4 + j] ?? 0) ^ pad);
    W[i] = word;
  }
  compress(state);
  return state;
}

export class HmacSha1 {
  private readonly innerState: Int32Array;
  private readonly outerState: Int32Array;
  private readonly state = new Int32Array(5);

  constructor(key: Uint8Array) {
    const block = key.length > 64 ? createHash('sha1').update(key).digest() : key;
    this.innerState = padState(block, 0x36);
    this.outerState = padState(block, 0x5c);
  }

  /**
   * The MAC of a 7-bit ASCII string (a token is base64url and dots), written
   * as 20 bytes into out. False, with out unspecified, if the text is not ASCII.
   */
  macAscii(text: string, out: Uint8Array): boolean {
    const length = text.length;
    if (length > MAX_TEXT) return false;
    // UTF-8 of ASCII is one byte per character; anything else writes more bytes than characters.
    const { read, written } = ENCODER.encodeInto(text, BYTES);
    if (read !== length || written !== length) return false;

    const state = this.state;
    state.set(this.innerState);
    // Whole blocks.
    let p = 0;
    for (; p + 64 <= length; p += 64) {
      for (let w = 0, q = p; w < 16; w++, q += 4) {
        W[w] = (BYTES[q] << 24) | (BYTES[q + 1] << 16) | (BYTES[q + 2] << 8) | BYTES[q + 3];
      }
      compress(state);
    }
    // The tail, 0x80, zeros, and the bit length of pad block + message.
    const rest = length - p;
    BYTES[length] = 0x80;
    BYTES.fill(0, length + 1, p + 128);
    const tailBlocks = rest >= 56 ? 2 : 1;
    const bits = (64 + length) * 8;
    for (let block = 0; block < tailBlocks; block++, p += 64) {
      for (let w = 0, q = p; w < 16; w++, q += 4) {
        W[w] = (BYTES[q] << 24) | (BYTES[q + 1] << 16) | (BYTES[q + 2] << 8) | BYTES[q + 3];
      }
      if (block === tailBlocks - 1) {
        W[14] = Math.floor(bits / 0x100000000);
        W[15] = bits | 0;
      }
      compress(state);
    }

    // Outer hash: the 20-byte inner digest in one padded block.
    W.set(state, 0);
    W[5] = 0x80000000 | 0;
    W.fill(0, 6, 15);
    W[15] = (64 + 20) * 8;
    state.set(this.outerState);
    compress(state);
    for (let w = 0; w < 5; w++) {
      const v = state[w];
      out[w * 4] = v >>> 24;
      out[w * 4 + 1] = (v >>> 16) & 0xff;
      out[w * 4 + 2] = (v >>> 8) & 0xff;
      out[w * 4 + 3] = v & 0xff;
    }
    return true;
  }
}
