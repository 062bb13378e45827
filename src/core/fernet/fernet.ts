import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Any token this key cannot vouch for: malformed, tampered, another key's, or past its TTL. Says nothing more, as cryptography's InvalidToken. */
export class InvalidFernetToken extends Error {
  override name = 'InvalidFernetToken';
  constructor() {
    super('Fernet token is invalid');
  }
}

/** A key that is not 32 bytes of base64url. */
export class FernetKeyError extends Error {
  override name = 'FernetKeyError';
}

const VERSION = 0x80;
const HEADER = 1 + 8 + 16;
const MAC = 32;
const BLOCK = 16;
/** How far in the future a timestamp may be when a TTL is checked (cryptography's _MAX_CLOCK_SKEW). */
const MAX_CLOCK_SKEW = 60;
// Python writes padded base64url; its decoder refuses anything unpadded, so this one does too.
const BASE64URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

export interface FernetEncryptOptions {
  /** Seconds since the epoch written in the token. Default: now. */
  now?: number;
  /** 16 bytes. Default: random (the spec's vectors fix it). */
  iv?: Buffer;
}

export interface FernetDecryptOptions {
  /** Refuse tokens older than this many seconds. Default: none. */
  ttl?: number;
  /** Seconds since the epoch the TTL is measured at. Default: now. */
  now?: number;
}

/** base64url with its `=` padding, as Python's urlsafe_b64encode writes it. */
function encodePadded(bytes: Buffer): string {
  return bytes.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

function decodeStrict(text: string): Buffer | null {
  return typeof text === 'string' && text.length > 0 && BASE64URL.test(text) ? Buffer.from(text, 'base64url') : null;
}

/**
 * One Fernet key (https://github.com/fernet/spec, version 0x80), as Python's
 * `cryptography.fernet.Fernet`: AES-128-CBC with PKCS#7 padding, then
 * HMAC-SHA256 over version, timestamp, IV and ciphertext, all base64url. The
 * key is the signing half then the encryption half. On node:crypto only.
 */
export class Fernet {
  private readonly signingKey: Buffer;
  private readonly encryptionKey: Buffer;

  constructor(key: string) {
    const bytes = decodeStrict(key);
    if (!bytes || bytes.length !== 32) throw new FernetKeyError('Fernet key must be 32 url-safe base64-encoded bytes');
    this.signingKey = bytes.subarray(0, 16);
    this.encryptionKey = bytes.subarray(16);
  }

  /** A new random key, in the form Python's Fernet.generate_key() gives. */
  static generateKey(): string {
    return encodePadded(randomBytes(32));
  }

  encrypt(plaintext: Buffer | string, { now = Math.floor(Date.now() / 1000), iv = randomBytes(BLOCK) }: FernetEncryptOptions = {}): string {
    if (iv.length !== BLOCK) throw new RangeError('Fernet IV must be 16 bytes');
    const header = Buffer.alloc(HEADER);
    header[0] = VERSION;
    header.writeBigUInt64BE(BigInt(Math.floor(now)), 1);
    iv.copy(header, 9);
    const cipher = createCipheriv('aes-128-cbc', this.encryptionKey, iv);
    const signed = Buffer.concat([header, cipher.update(plaintext), cipher.final()]);
    const mac = createHmac('sha256', this.signingKey).update(signed).digest();
    return encodePadded(Buffer.concat([signed, mac]));
  }

  /** The plaintext of a token this key made (and, with `ttl`, not too old); else InvalidFernetToken. */
  decrypt(token: string, { ttl, now = Math.floor(Date.now() / 1000) }: FernetDecryptOptions = {}): Buffer {
    const data = decodeStrict(token);
    if (!data || data.length < HEADER + BLOCK + MAC || data[0] !== VERSION || (data.length - HEADER - MAC) % BLOCK !== 0)
      throw new InvalidFernetToken();
    if (ttl !== undefined) {
      const timestamp = Number(data.readBigUInt64BE(1));
      if (timestamp + ttl < now || now + MAX_CLOCK_SKEW < timestamp) throw new InvalidFernetToken();
    }
    const signed = data.subarray(0, data.length - MAC);
    const mac = createHmac('sha256', this.signingKey).update(signed).digest();
    if (!timingSafeEqual(mac, data.subarray(data.length - MAC))) throw new InvalidFernetToken();
    try {
      const decipher = createDecipheriv('aes-128-cbc', this.encryptionKey, data.subarray(9, HEADER));
      return Buffer.concat([decipher.update(signed.subarray(HEADER)), decipher.final()]);
    } catch {
      // Bad padding under a valid MAC: only the key's holder could have made it, but it is still no token.
      throw new InvalidFernetToken();
    }
  }
}
