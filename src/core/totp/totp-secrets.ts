import { createCipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { base32Decode, base32Encode } from './base32.js';

const pbkdf2Async = promisify(pbkdf2);

/** passlib's encrypted key: `{ v: 1, c: cost, t: tag, s: salt, k: ciphertext }` (base32). */
export interface EncryptedTotpKey {
  v: 1;
  /** log2 of the PBKDF2 rounds. */
  c: number;
  /** Which application secret encrypted it. */
  t: string;
  s: string;
  k: string;
}

export class TotpSecretsError extends Error {
  override name = 'TotpSecretsError';
}

// passlib's rule for tags.
const TAG = /^[a-z0-9][a-z0-9_.-]*$/i;
const SALT_BYTES = 12;

/**
 * The application secrets that encrypt TOTP keys at rest: Flask-Security's
 * TOTP_SECRETS, passlib's AppWallet. `{ "1": "old", "2": "new" }`: every
 * tag decrypts, the newest (highest number, else last by name) encrypts, so
 * adding a tag rotates keys without breaking stored rows.
 *
 * The cipher is passlib's: PBKDF2-HMAC-SHA256 of the tag's secret and a
 * random salt gives an AES-256 key and a CTR IV, so rows written by
 * Flask-Security decrypt here and the other way round.
 */
export class TotpSecrets {
  private readonly secrets: ReadonlyMap<string, Buffer>;
  /** The tag new keys are encrypted with. */
  readonly defaultTag: string;

  constructor(
    secrets: Record<string, string | Buffer>,
    /** log2 of the PBKDF2 rounds for new rows; passlib's default 14. */
    readonly encryptCost = 14,
  ) {
    const entries = Object.entries(secrets ?? {}).map(([tag, secret]) => {
      if (!TAG.test(tag)) throw new TotpSecretsError(`TOTP secret tag contains invalid characters: ${JSON.stringify(tag)}`);
      const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
      if (bytes.length === 0) throw new TotpSecretsError(`TOTP secret ${JSON.stringify(tag)} is empty`);
      return [tag, bytes] as const;
    });
    if (entries.length === 0) throw new TotpSecretsError('at least one TOTP secret is required');
    if (!Number.isInteger(encryptCost) || encryptCost < 0 || encryptCost > 24)
      throw new TotpSecretsError('encryptCost must be an integer from 0 to 24');
    this.secrets = new Map(entries);
    const tags = entries.map(([tag]) => tag);
    this.defaultTag = tags.every((tag) => /^\d+$/.test(tag))
      ? tags.reduce((a, b) => (Number(b) > Number(a) ? b : a))
      : tags.reduce((a, b) => (b > a ? b : a));
  }

  async encrypt(key: Uint8Array): Promise<EncryptedTotpKey> {
    if (key.length === 0) throw new TotpSecretsError('no key to encrypt');
    const salt = randomBytes(SALT_BYTES);
    const ciphertext = await this.cipher(key, this.secret(this.defaultTag), salt, this.encryptCost);
    return { v: 1, c: this.encryptCost, t: this.defaultTag, s: base32Encode(salt), k: base32Encode(ciphertext) };
  }

  /** The key, and whether it should be written again (older tag or cost). */
  async decrypt(encrypted: EncryptedTotpKey): Promise<{ key: Buffer; needsReencrypt: boolean }> {
    if (encrypted?.v !== 1) throw new TotpSecretsError('unrecognised encrypted TOTP key version');
    const { t: tag, c: cost } = encrypted;
    if (typeof tag !== 'string' || !Number.isInteger(cost) || cost < 0 || cost > 24)
      throw new TotpSecretsError('malformed encrypted TOTP key');
    const key = await this.cipher(base32Decode(encrypted.k), this.secret(tag), base32Decode(encrypted.s), cost);
    return { key, needsReencrypt: tag !== this.defaultTag || cost !== this.encryptCost };
  }

  private secret(tag: string): Buffer {
    const secret = this.secrets.get(tag);
    if (!secret) throw new TotpSecretsError(`unknown TOTP secret tag ${JSON.stringify(tag)}`);
    return secret;
  }

  // CTR is its own inverse: the same call encrypts and decrypts. PBKDF2 runs on libuv's pool, off the event loop.
  private async cipher(value: Uint8Array, secret: Buffer, salt: Buffer, cost: number): Promise<Buffer> {
    const keyIv = await pbkdf2Async(secret, salt, 2 ** cost, 48, 'sha256');
    const cipher = createCipheriv('aes-256-ctr', keyIv.subarray(0, 32), keyIv.subarray(32));
    return Buffer.concat([cipher.update(value), cipher.final()]);
  }
}
