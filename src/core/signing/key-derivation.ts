import { createHash, createHmac, getHashes } from 'node:crypto';

export type Digest = 'sha1' | 'sha256' | 'sha512';
export type KeyDerivation = 'django-concat' | 'concat' | 'hmac' | 'none';
export type SecretKey = string | Uint8Array;

const DIGESTS: ReadonlySet<string> = new Set<Digest>(['sha1', 'sha256', 'sha512']);
const DERIVATIONS: ReadonlySet<string> = new Set<KeyDerivation>(['django-concat', 'concat', 'hmac', 'none']);

export function assertDigest(digest: string): asserts digest is Digest {
  if (!DIGESTS.has(digest) || !getHashes().includes(digest)) {
    throw new TypeError(`nest-security: unsupported digest "${digest}" (use sha1, sha256 or sha512)`);
  }
}

export function assertKeyDerivation(method: string): asserts method is KeyDerivation {
  if (!DERIVATIONS.has(method)) {
    throw new TypeError(`nest-security: unknown key derivation "${method}"`);
  }
}

/** Text is UTF-8, as Python's `want_bytes`. */
export function toBytes(value: SecretKey): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('nest-security: a secret key or salt must be a string or a Buffer');
}

/**
 * The secret keys, oldest first as given; a single key is a list of one.
 * itsdangerous signs with the last (newest) and verifies with any.
 */
export function toKeyList(secretKey: SecretKey | ReadonlyArray<SecretKey>): Buffer[] {
  const keys = Array.isArray(secretKey) ? secretKey.map(toBytes) : [toBytes(secretKey as SecretKey)];
  if (keys.length === 0) throw new TypeError('nest-security: at least one secret key is required');
  return keys;
}

/**
 * The signing key itsdangerous derives from a secret key and a salt:
 * `django-concat` = H(salt + "signer" + secret), `concat` = H(salt + secret),
 * `hmac` = HMAC(secret, salt), `none` = the secret itself.
 */
export function deriveKey(secret: Buffer, salt: Buffer, method: KeyDerivation, digest: Digest): Buffer {
  switch (method) {
    case 'django-concat':
      return createHash(digest).update(salt).update('signer').update(secret).digest();
    case 'concat':
      return createHash(digest).update(salt).update(secret).digest();
    case 'hmac':
      return createHmac(digest, secret).update(salt).digest();
    case 'none':
      return Buffer.from(secret);
    default:
      throw new TypeError(`nest-security: unknown key derivation "${String(method)}"`);
  }
}
