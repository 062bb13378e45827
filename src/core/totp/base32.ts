import { Secret } from 'otpauth';

/** RFC 4648 base32 without padding, upper case: passlib's b32encode. */
export function base32Encode(bytes: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32.replace(/=+$/, '');
}

/**
 * Base32 to bytes, as passlib's b32decode: case-insensitive, padding
 * optional, and the common typos `0` → `O` and `8` → `B` corrected.
 */
export function base32Decode(text: string): Buffer {
  const cleaned = text.toUpperCase().replace(/[\s-]/g, '').replace(/=+$/, '').replace(/0/g, 'O').replace(/8/g, 'B');
  if (!/^[A-Z2-7]*$/.test(cleaned)) throw new TypeError('not base32');
  return Buffer.from(Secret.fromBase32(cleaned).bytes);
}
