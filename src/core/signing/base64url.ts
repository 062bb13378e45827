/**
 * URL-safe base64 without padding, as itsdangerous writes it.
 */
export function base64urlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Lenient, as Python's `base64.urlsafe_b64decode` after itsdangerous adds the
 * padding: characters outside the alphabet are skipped, and the standard
 * alphabet's `+` and `/` are accepted too. For payloads, whose text the
 * signature already covers.
 */
export function base64urlDecode(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

/** The value of each base64url character, -1 for anything else. */
export const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  SEXTET['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charCodeAt(i)] = i;
}

/**
 * Strict decoding of exactly `length` bytes into `out`: only the canonical
 * text (what base64urlEncode gives: alphabet characters only, no padding,
 * unused trailing bits zero) is accepted, so each byte string has one text.
 */
export function decodeBase64urlExact(text: string, out: Uint8Array, length: number): boolean {
  if (text.length !== Math.ceil((length * 4) / 3)) return false;
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? SEXTET[c] : -1;
    if (v < 0) return false;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return o === length && acc === 0;
}
