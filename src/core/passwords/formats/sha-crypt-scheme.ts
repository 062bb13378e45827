import type { createHash as CreateHash } from 'node:crypto';

/**
 * The SHA-crypt scheme of Ulrich Drepper's "Unix crypt using SHA-256 and
 * SHA-512" (glibc, passlib's sha256_crypt / sha512_crypt): how password,
 * salt and rounds are mixed. The hash function itself is node:crypto's.
 *
 * Self-contained on purpose: its source text is also what the hashing worker
 * runs (see hash-worker-pool.ts), so it may use nothing but its arguments.
 * Returns the final digest; the caller encodes it.
 */
export function shaCryptDigest(
  createHash: typeof CreateHash,
  algorithm: 'sha256' | 'sha512',
  password: Uint8Array,
  salt: Uint8Array,
  rounds: number,
): Uint8Array {
  const size = algorithm === 'sha256' ? 32 : 64;
  const length = password.length;
  const hash = (...parts: Uint8Array[]): Uint8Array => {
    const h = createHash(algorithm);
    for (const part of parts) h.update(part);
    return h.digest();
  };
  /** `bytes` repeated and cut to `n` bytes. */
  const repeatTo = (bytes: Uint8Array, n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += bytes.length) out.set(bytes.subarray(0, Math.min(bytes.length, n - at)), at);
    return out;
  };

  // Digest B = H(P S P)
  const b = hash(password, salt, password);
  // Digest A = H(P S, then B for each whole digest length of P and the rest of
  // B's first bytes, then for each bit of len(P) from the lowest: B if 1, P if 0).
  const a = createHash(algorithm).update(password).update(salt);
  for (let left = length; left > 0; left -= size) a.update(left >= size ? b : b.subarray(0, left));
  for (let bits = length; bits > 0; bits >>>= 1) a.update(bits & 1 ? b : password);
  let c: Uint8Array = a.digest();
  // P' = H(P repeated len(P) times), stretched or cut to len(P) bytes.
  const pPrime = repeatTo(hash(...Array<Uint8Array>(length).fill(password)), length);
  // S' = H(S repeated 16 + A[0] times), cut to len(S) bytes.
  const sPrime = hash(...Array<Uint8Array>(16 + c[0]).fill(salt)).subarray(0, salt.length);

  // Round i hashes (odd i: P', even: C) [S' unless 3 divides i] [P' unless 7 divides i] (odd: C, even: P').
  for (let i = 0; i < rounds; i++) {
    const h = createHash(algorithm);
    h.update(i & 1 ? pPrime : c);
    if (i % 3 !== 0) h.update(sPrime);
    if (i % 7 !== 0) h.update(pPrime);
    h.update(i & 1 ? c : pPrime);
    c = h.digest();
  }
  return c;
}
