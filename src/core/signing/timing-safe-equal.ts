import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Per-process key for the length-hiding comparison below.
const COMPARE_KEY = randomBytes(32);

/**
 * Constant-time equality of two strings or byte strings of any lengths.
 * Both sides are MACed with a random per-process key first, so the compare
 * runs over equal-length digests and leaks neither content nor length.
 * Strings are compared as their UTF-8 bytes.
 */
export function timingSafeEqualStrings(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const macA = createHmac('sha256', COMPARE_KEY).update(a).digest();
  const macB = createHmac('sha256', COMPARE_KEY).update(b).digest();
  return timingSafeEqual(macA, macB);
}
