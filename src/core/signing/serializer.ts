import { BadSignature, SignatureExpired } from './errors.js';
import type { Digest, KeyDerivation, SecretKey } from './key-derivation.js';
import { decodePayload, encodePayload } from './payload.js';
import { Signer } from './signer.js';
import { TimestampSigner, type UnsignOptions } from './timestamp-signer.js';

export interface SerializerOptions {
  /** Separates token purposes sharing a secret key. Default 'itsdangerous'. */
  salt?: string | Uint8Array;
  /** Default 'sha1'. */
  digest?: Digest;
  /** Default 'django-concat'. */
  keyDerivation?: KeyDerivation;
}

export interface TimedSerializerOptions extends SerializerOptions {
  /** The current time in seconds. Default: the clock. For tests. */
  now?: () => number;
}

export type LoadsOptions = UnsignOptions;

/**
 * Signed, URL-safe JSON tokens without a date: `payload.signature`, as
 * itsdangerous's URLSafeSerializer. Python loads what this dumps and the
 * other way round.
 */
export class URLSafeSerializer {
  protected readonly signer: Signer;

  constructor(secretKey: SecretKey | ReadonlyArray<SecretKey>, options: SerializerOptions = {}) {
    this.signer = this.createSigner(secretKey, options);
  }

  protected createSigner(secretKey: SecretKey | ReadonlyArray<SecretKey>, options: SerializerOptions): Signer {
    return new Signer(secretKey, signerOptions(options));
  }

  dumps(value: unknown): string {
    return this.signer.sign(encodePayload(value));
  }

  /**
   * The value, if the token is well signed; BadSignature (whose payload is the
   * unverified encoded payload, as itsdangerous) or BadPayload otherwise.
   */
  loads(token: string): unknown {
    return decodePayload(this.signer.unsign(token));
  }

  /**
   * [true, value] for a good token; [false, value] when the signature is bad
   * but the payload still decodes; [false, undefined] otherwise. Never throws.
   * The value of a badly signed token is attacker-controlled: debugging only.
   */
  loadsUnsafe(token: string): [valid: boolean, value: unknown] {
    try {
      return [true, this.loads(token)];
    } catch (error) {
      return [false, payloadOf(error)];
    }
  }
}

/**
 * Signed, URL-safe JSON tokens that expire: `payload.timestamp.signature`, as
 * itsdangerous's URLSafeTimedSerializer (the one Flask-Security uses for its
 * confirm, reset and login links).
 */
export class URLSafeTimedSerializer extends URLSafeSerializer {
  declare protected readonly signer: TimestampSigner;

  constructor(secretKey: SecretKey | ReadonlyArray<SecretKey>, options: TimedSerializerOptions = {}) {
    super(secretKey, options);
  }

  protected override createSigner(secretKey: SecretKey | ReadonlyArray<SecretKey>, options: TimedSerializerOptions): TimestampSigner {
    return new TimestampSigner(secretKey, { ...signerOptions(options), now: options.now });
  }

  /**
   * The value, if well signed and, with `maxAge`, signed at most that many
   * seconds ago and not in the future. An old token throws SignatureExpired
   * carrying the decoded value and the signing date; a bad one BadSignature
   * (or a subclass) or BadPayload.
   */
  override loads(token: string, options?: LoadsOptions): unknown {
    let payload: string;
    try {
      payload = this.signer.unsign(token, { maxAge: options?.maxAge });
    } catch (error) {
      throw withDecodedPayload(error);
    }
    return decodePayload(payload);
  }

  /** As loads, with the date the token was signed. */
  loadsWithTimestamp(token: string, options?: LoadsOptions): [value: unknown, dateSigned: Date] {
    let payload: string;
    let dateSigned: Date;
    try {
      [payload, dateSigned] = this.signer.unsign(token, { maxAge: options?.maxAge, returnTimestamp: true });
    } catch (error) {
      throw withDecodedPayload(error);
    }
    return [decodePayload(payload), dateSigned];
  }
}

/** A serializer's SignatureExpired carries the decoded value, not the encoded text. */
function withDecodedPayload(error: unknown): unknown {
  if (error instanceof SignatureExpired) {
    return new SignatureExpired(error.message, decodePayload(error.payload as string), error.dateSigned);
  }
  return error;
}

function signerOptions(options: SerializerOptions): SerializerOptions {
  return { salt: options.salt ?? 'itsdangerous', digest: options.digest, keyDerivation: options.keyDerivation };
}

/** What loadsUnsafe can still read from a failed load. */
function payloadOf(error: unknown): unknown {
  if (!(error instanceof BadSignature) || typeof error.payload !== 'string') return undefined;
  try {
    return decodePayload(error.payload);
  } catch {
    return undefined;
  }
}
