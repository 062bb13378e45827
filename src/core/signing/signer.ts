import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { BadSignature } from './errors.js';
import {
  assertDigest,
  assertKeyDerivation,
  deriveKey,
  toBytes,
  toKeyList,
  type Digest,
  type KeyDerivation,
  type SecretKey,
} from './key-derivation.js';

/** Tokens longer than this are refused before any work is done. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

export interface SignerOptions {
  /** Separates contexts that share a secret key. Default 'itsdangerous.Signer' (a serializer passes its own). */
  salt?: string | Uint8Array;
  /** Between value and signature; not a base64url character. Default '.'. */
  sep?: string;
  /** Default 'django-concat': key = digest(salt + "signer" + secret). */
  keyDerivation?: KeyDerivation;
  /** Default 'sha1', for both key derivation and the HMAC. */
  digest?: Digest;
}

/** Characters of an unpadded base64url digest. */
const SIGNATURE_LENGTH: Record<Digest, number> = { sha1: 27, sha256: 43, sha512: 86 };
const BASE64URL_ALPHABET = /[A-Za-z0-9_=-]/;

/**
 * Signs text with HMAC so that it can be handed out and checked later:
 * `value + sep + base64url(HMAC(derivedKey, value))`, as itsdangerous's Signer.
 * With several secret keys (oldest first), signs with the last and accepts any.
 */
export class Signer {
  readonly salt: Buffer;
  readonly sep: string;
  readonly digest: Digest;
  readonly keyDerivation: KeyDerivation;
  /**
   * Derived once, as KeyObjects so that each HMAC skips importing the key:
   * the signing key is verifyKeys[0] (the newest secret).
   */
  protected readonly verifyKeys: readonly KeyObject[];
  private readonly signatureLength: number;

  constructor(secretKey: SecretKey | ReadonlyArray<SecretKey>, options: SignerOptions = {}) {
    const secrets = toKeyList(secretKey);
    this.salt = toBytes(options.salt ?? 'itsdangerous.Signer');
    this.sep = options.sep ?? '.';
    if (this.sep.length === 0 || BASE64URL_ALPHABET.test(this.sep)) {
      throw new TypeError('nest-security: the separator must not be empty nor use base64url characters');
    }
    const digest = options.digest ?? 'sha1';
    assertDigest(digest);
    this.digest = digest;
    const keyDerivation = options.keyDerivation ?? 'django-concat';
    assertKeyDerivation(keyDerivation);
    this.keyDerivation = keyDerivation;
    this.verifyKeys = secrets.map((secret) => createSecretKey(deriveKey(secret, this.salt, keyDerivation, digest))).reverse();
    this.signatureLength = SIGNATURE_LENGTH[digest];
  }

  /** base64url(HMAC) of the value with the newest key. */
  getSignature(value: string | Uint8Array): string {
    return this.mac(0, value);
  }

  /** base64url(HMAC) of value with verifyKeys[index]. */
  private mac(index: number, value: string | Uint8Array): string {
    return createHmac(this.digest, this.verifyKeys[index]).update(value).digest('base64url');
  }

  sign(value: string | Uint8Array): string {
    const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
    return text + this.sep + this.getSignature(text);
  }

  /**
   * Constant-time check of a signature against every key, newest first.
   * Only the canonical spelling of a signature (what itsdangerous writes) is
   * accepted, so one signed value has exactly one valid token text.
   */
  verifySignature(value: string | Uint8Array, signature: string): boolean {
    // Comparing the text, not decoded bytes, accepts only the canonical spelling.
    // Same byte and character length means ASCII only, so no character can alias another.
    if (signature.length !== this.signatureLength) return false;
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== this.signatureLength) return false;
    let matched = false;
    for (let i = 0; i < this.verifyKeys.length; i++) {
      // Every key is tried, so the time does not say which one matched.
      if (timingSafeEqual(Buffer.from(this.mac(i, value), 'latin1'), given)) matched = true;
    }
    return matched;
  }

  /** The signed value if the signature is good; BadSignature otherwise. */
  unsign(signedValue: string | Uint8Array): string {
    const text = checkToken(signedValue);
    const at = text.lastIndexOf(this.sep);
    if (at < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = text.slice(0, at);
    if (this.verifySignature(value, text.slice(at + this.sep.length))) return value;
    throw new BadSignature('Signature does not match', value);
  }

  validate(signedValue: string | Uint8Array): boolean {
    try {
      this.unsign(signedValue);
      return true;
    } catch (error) {
      if (error instanceof BadSignature) return false;
      throw error;
    }
  }
}

/** Tokens arrive from outside: anything but a string (or bytes) of sane length is a bad signature. */
export function checkToken(token: unknown): string {
  if (typeof token === 'string') {
    if (token.length > MAX_TOKEN_LENGTH) throw new BadSignature('Token is too long');
    return token;
  }
  if (token instanceof Uint8Array) {
    if (token.length > MAX_TOKEN_LENGTH) throw new BadSignature('Token is too long');
    return Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('utf8');
  }
  throw new BadSignature('Token must be a string');
}
