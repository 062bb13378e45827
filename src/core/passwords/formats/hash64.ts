/**
 * The "hash64" alphabet of crypt(3) hashes: `./0-9A-Za-z`, six bits a
 * character, least significant first within each group of three bytes.
 */
export const HASH64_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Encodes bytes, taken in the order given by `order` (indices into `bytes`),
 * as hash64: each group of three becomes the 24-bit little-endian number
 * b0 | b1 << 8 | b2 << 16, written as four characters from the low bits up;
 * a final group of two bytes gives three characters, of one byte two.
 */
export function encodeHash64(bytes: Uint8Array, order: readonly number[]): string {
  let out = '';
  for (let i = 0; i < order.length; i += 3) {
    const left = Math.min(3, order.length - i);
    let value = bytes[order[i]];
    if (left > 1) value |= bytes[order[i + 1]] << 8;
    if (left > 2) value |= bytes[order[i + 2]] << 16;
    for (let c = 0; c <= left; c++, value >>>= 6) out += HASH64_ALPHABET[value & 63];
  }
  return out;
}

/** Hash64 text with one character for each random byte given (a salt). */
export function randomHash64(randomBytes: Uint8Array): string {
  let out = '';
  // 256 is a multiple of 64, so `byte & 63` is uniform.
  for (const byte of randomBytes) out += HASH64_ALPHABET[byte & 63];
  return out;
}
