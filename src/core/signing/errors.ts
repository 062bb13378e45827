/**
 * The error family of itsdangerous: everything a bad token can cause is a
 * `BadData`, so callers catch one class. Messages never include the token,
 * the signature or a key.
 */
export class BadData extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The signature does not match, or the token has no signature at all. */
export class BadSignature extends BadData {
  /**
   * The part of the token that failed the check, unverified. At the signer
   * level this is the signed text; the serializers decode it where that is
   * what a caller needs (see `SignatureExpired`).
   */
  readonly payload: unknown;

  constructor(message: string, payload?: unknown) {
    super(message);
    this.payload = payload;
  }
}

/** A timestamped signature is invalid or its timestamp is malformed. */
export class BadTimeSignature extends BadSignature {
  /** When the token says it was signed, if that could be read. */
  readonly dateSigned: Date | undefined;

  constructor(message: string, payload?: unknown, dateSigned?: Date) {
    super(message, payload);
    this.dateSigned = dateSigned;
  }
}

/**
 * Well signed, but older than the allowed age (or dated in the future).
 * From a serializer, `payload` is the decoded value, so a caller can still
 * tell whose link it was, e.g. to offer a new one.
 */
export class SignatureExpired extends BadTimeSignature {
  declare readonly dateSigned: Date;

  constructor(message: string, payload: unknown, dateSigned: Date) {
    super(message, payload, dateSigned);
  }
}

/** The signed payload could not be decoded (base64, zlib, UTF-8 or JSON). */
export class BadPayload extends BadData {
  readonly originalError: unknown;

  constructor(message: string, originalError?: unknown) {
    super(message);
    this.originalError = originalError;
  }
}

/** A JWS header that is malformed, of another algorithm, or with a bad expiry date (itsdangerous 1.x's BadHeader). */
export class BadHeader extends BadSignature {}
