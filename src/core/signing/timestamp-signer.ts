import { BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
import type { SecretKey } from './key-derivation.js';
import { Signer, checkToken, type SignerOptions } from './signer.js';

export interface TimestampSignerOptions extends SignerOptions {
  /** The current time in seconds (fractions are dropped). Default: the clock. For tests. */
  now?: () => number;
}

export interface UnsignOptions {
  /** Refuse signatures older than this many seconds (and ones dated in the future). */
  maxAge?: number | null;
}

/** The latest instant a Python datetime (year 9999) can hold; later timestamps are malformed. */
const MAX_TIMESTAMP = 253402300799;

/**
 * A Signer that also records when it signed:
 * `value + sep + base64url(seconds, big-endian, no leading zero bytes) + sep + signature`,
 * where the signature covers value and timestamp. As itsdangerous's TimestampSigner.
 */
export class TimestampSigner extends Signer {
  private readonly now: () => number;
  // The encoded timestamp changes once a second; keep the last one.
  private cachedSeconds = -1;
  private cachedTimestamp = '';

  constructor(secretKey: SecretKey | ReadonlyArray<SecretKey>, options: TimestampSignerOptions = {}) {
    super(secretKey, options);
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  /** Whole seconds since the epoch. */
  getTimestamp(): number {
    return Math.floor(this.now());
  }

  override sign(value: string | Uint8Array): string {
    const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
    const seconds = this.getTimestamp();
    if (seconds !== this.cachedSeconds) {
      this.cachedTimestamp = encodeTimestamp(seconds);
      this.cachedSeconds = seconds;
    }
    const signed = text + this.sep + this.cachedTimestamp;
    return signed + this.sep + this.getSignature(signed);
  }

  override unsign(signedValue: string | Uint8Array, options?: UnsignOptions & { returnTimestamp?: false }): string;
  override unsign(signedValue: string | Uint8Array, options: UnsignOptions & { returnTimestamp: true }): [string, Date];
  override unsign(signedValue: string | Uint8Array, options: UnsignOptions & { returnTimestamp?: boolean } = {}): string | [string, Date] {
    const text = checkToken(signedValue);
    const sep = this.sep;
    const maxAge = options.maxAge ?? undefined;
    if (maxAge !== undefined && (typeof maxAge !== 'number' || Number.isNaN(maxAge))) {
      throw new TypeError('nest-security: maxAge must be a number of seconds');
    }

    const sigAt = text.lastIndexOf(sep);
    if (sigAt < 0) throw new BadSignature(`No "${sep}" found in value`);
    const signed = text.slice(0, sigAt);
    const signatureOk = this.verifySignature(signed, text.slice(sigAt + sep.length));

    const tsAt = signed.lastIndexOf(sep);
    if (tsAt < 0) {
      if (!signatureOk) throw new BadSignature('Signature does not match', signed);
      throw new BadTimeSignature('Timestamp missing', signed);
    }
    const value = signed.slice(0, tsAt);
    const seconds = decodeTimestamp(signed.slice(tsAt + sep.length));

    if (!signatureOk) {
      const dateSigned = seconds === undefined ? undefined : new Date(seconds * 1000);
      throw new BadTimeSignature('Signature does not match', value, dateSigned);
    }
    if (seconds === undefined) throw new BadTimeSignature('Malformed timestamp', value);

    if (maxAge !== undefined) {
      const age = this.getTimestamp() - seconds;
      if (age > maxAge) {
        throw new SignatureExpired(`Signature age ${age} > ${maxAge} seconds`, value, new Date(seconds * 1000));
      }
      if (age < 0) throw new SignatureExpired(`Signature age ${age} < 0 seconds`, value, new Date(seconds * 1000));
    }
    return options.returnTimestamp ? [value, new Date(seconds * 1000)] : value;
  }

  override validate(signedValue: string | Uint8Array, options: UnsignOptions = {}): boolean {
    try {
      this.unsign(signedValue, options);
      return true;
    } catch (error) {
      if (error instanceof BadSignature) return false;
      throw error;
    }
  }
}

/** Seconds as big-endian bytes with leading zero bytes stripped, base64url (0 is the empty string). */
export function encodeTimestamp(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError('nest-security: the timestamp must be a non-negative whole number of seconds');
  }
  const bytes: number[] = [];
  for (let rest = seconds; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from(bytes).toString('base64url');
}

/**
 * Reverse of encodeTimestamp, as leniently as itsdangerous reads it: Python's
 * base64 decoder skips characters outside the alphabet (and accepts '+' and
 * '/'), and an int of at most 8 bytes. Undefined when malformed or beyond
 * what a date can hold.
 */
export function decodeTimestamp(text: string): number | undefined {
  const kept = PLAIN_TIMESTAMP.test(text) ? text : text.replace(NOT_BASE64, '');
  if (kept.length % 4 === 1) return undefined; // Python: not a valid base64 length
  const bytes = Buffer.from(kept, 'base64url');
  if (bytes.length > 8) return undefined;
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return check(value);
}

/** What encodeTimestamp writes for any date a token can carry. */
const PLAIN_TIMESTAMP = /^[A-Za-z0-9_-]{0,8}$/;
const NOT_BASE64 = /[^A-Za-z0-9_\-+/]/g;

function check(seconds: number): number | undefined {
  return seconds <= MAX_TIMESTAMP ? seconds : undefined;
}
