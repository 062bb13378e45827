/**
 * URL-safe base64 without padding, as itsdangerous writes it.
 */
export function base64urlEncode(bytes: Uint8Array): string {
  // A Buffer encodes itself; wrapping one in a new view costs as much as the encoding.
  if (Buffer.isBuffer(bytes)) return bytes.toString('base64url');
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
  const chars = text.length;
  if (chars !== Math.ceil((length * 4) / 3)) return false;
  let bad = 0;
  let i = 0;
  let o = 0;
  // Four characters make three bytes; a character outside the alphabet makes `bad` negative.
  for (; i + 4 <= chars; i += 4) {
    const a = sextet(text.charCodeAt(i));
    const b = sextet(text.charCodeAt(i + 1));
    const c = sextet(text.charCodeAt(i + 2));
    const d = sextet(text.charCodeAt(i + 3));
    bad |= a | b | c | d;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (v >>> 16) & 0xff;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  const rest = chars - i;
  if (rest === 2) {
    const a = sextet(text.charCodeAt(i));
    const b = sextet(text.charCodeAt(i + 1));
    bad |= a | b | (b & 0x0f ? -1 : 0); // 4 unused bits must be zero
    out[o++] = ((a << 2) | (b >>> 4)) & 0xff;
  } else if (rest === 3) {
    const a = sextet(text.charCodeAt(i));
    const b = sextet(text.charCodeAt(i + 1));
    const c = sextet(text.charCodeAt(i + 2));
    bad |= a | b | c | (c & 0x03 ? -1 : 0); // 2 unused bits must be zero
    const v = (a << 12) | (b << 6) | c;
    out[o++] = (v >>> 10) & 0xff;
    out[o++] = (v >>> 2) & 0xff;
  }
  return bad >= 0 && o === length;
}

function sextet(code: number): number {
  return code < 128 ? SEXTET[code] : -1;
}
