import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SECURITY_DATA_SOURCE } from '../security.constants.js';
import type { SerializerName } from './serializer-names.js';

/**
 * Makes reset tokens and login links single-use. The first caller to record a
 * token wins (one INSERT ... ON CONFLICT DO NOTHING), so of N concurrent uses,
 * across any number of app instances, exactly one succeeds.
 */
@Injectable()
export class OneTimeTokenService {
  private consumedSinceCleanup = 0;

  constructor(@Inject(SECURITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Record the token as used. Resolves true for the first use only. Call it
   * after the token verified, and before acting on it.
   */
  async consume(token: string, name: SerializerName, expiresAt: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO security_used_token (digest, used_at, expires_at) VALUES ($1, now(), $2)
       ON CONFLICT (digest) DO NOTHING RETURNING digest`,
      [tokenDigest(token, name), expiresAt],
    );
    if (++this.consumedSinceCleanup >= 100) {
      this.consumedSinceCleanup = 0;
      await this.dataSource.query('DELETE FROM security_used_token WHERE expires_at < now()');
    }
    return rows.length === 1;
  }

  /** Whether the token was already used (for telling "used" apart from "invalid"). */
  async isUsed(token: string, name: SerializerName): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM security_used_token WHERE digest = $1', [
      tokenDigest(token, name),
    ]);
    return rows.length > 0;
  }
}

/**
 * A digest that is the same for every text spelling of one token. The HMAC
 * covers the payload and timestamp text, but the signature's base64 has
 * unused trailing bits, so it is hashed as decoded bytes.
 */
export function tokenDigest(token: string, name: SerializerName): string {
  const cut = token.lastIndexOf('.');
  const signed = cut < 0 ? token : token.slice(0, cut);
  const signature = cut < 0 ? Buffer.alloc(0) : Buffer.from(token.slice(cut + 1), 'base64url');
  return createHash('sha256').update(name).update('\0').update(signed).update('\0').update(signature).digest('hex');
}
