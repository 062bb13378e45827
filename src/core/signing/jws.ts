import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { BadHeader, BadPayload, BadSignature, SignatureExpired } from './errors.js';
import { toBytes, toKeyList, type SecretKey } from './key-derivation.js';
import { MAX_TOKEN_LENGTH } from './signer.js';

export type JwsAlgorithm = 'HS256' | 'HS384' | 'HS512';

const HMAC_DIGEST: Record<JwsAlgorithm, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

export interface JWSTimedSerializerOptions {
  /** The one algorithm accepted and used; default 'HS512' (itsdangerous's). `none` is never accepted. */
  algorithm?: JwsAlgorithm;
  /** Seconds from signing to `exp` for dumps; default 3600. */
  expiresIn?: number;
  /**
   * Without a salt (itsdangerous's default for JWS, and flask-base's) the
   * HMAC key is the secret key itself; with one it is
   * SHA-1(salt + "signer" + secret), as itsdangerous 1.x derives it.
   */
  salt?: string | Uint8Array;
}

export interface JwsLoadsOptions {
  /** Seconds since the epoch to check `exp` against; default now. */
  now?: number;
}

/**
 * itsdangerous 1.x's TimedJSONWebSignatureSerializer (removed in 2.1), which
 * apps such as flask-base used for their email links: a JWS compact token
 * `base64url(header).base64url(payload).base64url(HMAC)`, the header
 * `{"alg":"HS512","iat":...,"exp":...}`. `loads` follows 1.x: the header's
 * alg must be the configured one, `exp` must be present, an integer date and
 * not past. Tokens dumped here for the same value and time are Python's bytes.
 */
export class JWSTimedSerializer {
  readonly algorithm: JwsAlgorithm;
  readonly expiresIn: number;
  /** Newest first: the first signs, any verifies. */
  private readonly keys: Buffer[];

  constructor(secretKey: SecretKey | ReadonlyArray<SecretKey>, options: JWSTimedSerializerOptions = {}) {
    const algorithm = options.algorithm ?? 'HS512';
    if (!Object.hasOwn(HMAC_DIGEST, algorithm)) {
      throw new TypeError(`nest-security: unsupported JWS algorithm "${String(algorithm)}" (HS256, HS384 or HS512)`);
    }
    this.algorithm = algorithm;
    this.expiresIn = options.expiresIn ?? 3600;
    if (!Number.isInteger(this.expiresIn) || this.expiresIn < 0) throw new TypeError('nest-security: expiresIn must be whole seconds');
    const salt = options.salt === undefined ? undefined : toBytes(options.salt);
    this.keys = toKeyList(secretKey)
      .reverse()
      .map((secret) => (salt ? createHash('sha1').update(salt).update('signer').update(secret).digest() : secret));
  }

  dumps(value: unknown, options: { now?: number; headerFields?: Record<string, unknown> } = {}): string {
    const iat = options.now ?? Math.floor(Date.now() / 1000);
    const header = { ...options.headerFields, alg: this.algorithm, iat, exp: iat + this.expiresIn };
    const signed = `${encodeSegment(header)}.${encodeSegment(value)}`;
    return `${signed}.${this.signature(this.keys[0], signed).toString('base64url')}`;
  }

  loads(token: string, options: JwsLoadsOptions = {}): unknown {
    return this.loadsWithHeader(token, options)[0];
  }

  /** As loads, with the verified header. */
  loadsWithHeader(token: string, options: JwsLoadsOptions = {}): [value: unknown, header: Record<string, unknown>] {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new BadSignature('Token too long or not text');
    const cut = token.lastIndexOf('.');
    if (cut < 0) throw new BadSignature('No "." found in value');
    const signed = token.slice(0, cut);
    const given = Buffer.from(token.slice(cut + 1), 'base64url');
    if (!this.keys.some((key) => safeEqual(this.signature(key, signed), given))) {
      throw new BadSignature('Signature does not match');
    }
    const dot = signed.indexOf('.');
    if (dot < 0) throw new BadPayload('No "." found in value');
    const header = decodeSegment(signed.slice(0, dot), 'header');
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new BadHeader('Header payload is not a JSON object');
    const fields = header as Record<string, unknown>;
    const value = decodeSegment(signed.slice(dot + 1), 'payload');
    if (fields.alg !== this.algorithm) throw new BadHeader('Algorithm mismatch', value);
    if (!('exp' in fields)) throw new BadSignature('Missing expiry date', value);
    const exp = intDate(fields.exp);
    if (exp === undefined || exp < 0) throw new BadHeader('Expiry date is not an IntDate', value);
    const now = options.now ?? Math.floor(Date.now() / 1000);
    if (exp < now) {
      const iat = typeof fields.iat === 'number' ? new Date(Math.trunc(fields.iat) * 1000) : new Date(NaN);
      throw new SignatureExpired('Signature expired', value, iat);
    }
    return [value, { ...fields, exp }];
  }

  private signature(key: Buffer, signed: string): Buffer {
    return createHmac(HMAC_DIGEST[this.algorithm], key).update(signed).digest();
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** itsdangerous 1.x's compact JSON (no spaces, UTF-8 as is), base64url without padding. */
function encodeSegment(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError('nest-security: value is not JSON serializable');
  return Buffer.from(json, 'utf8').toString('base64url');
}

function decodeSegment(text: string, what: 'header' | 'payload'): unknown {
  const bytes = Buffer.from(text, 'base64url');
  const Failure = what === 'header' ? BadHeader : BadPayload;
  if (!isUtf8(bytes)) throw new Failure(`The ${what} is not UTF-8`);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Failure(`Could not unserialize the ${what}`);
  }
}

/** `int(exp)` as itsdangerous 1.x reads it: a number (truncated), or a string of digits. */
function intDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}
