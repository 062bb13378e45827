import type { DataSource } from 'typeorm';
import { UsedTokenStore } from '../used-token-store.js';
import { deleteExpiredRows } from './delete-expired.js';
import { PreparedQuery } from './prepared-query.js';

/** Every this many consumes, expired digests of everyone are deleted. */
const CLEANUP_EVERY = 100;

/**
 * Used tokens in `security_used_token`: `consume` is one
 * INSERT ... ON CONFLICT DO NOTHING, so the primary key decides the one
 * winner, across any number of app instances.
 */
export class TypeOrmUsedTokenStore extends UsedTokenStore {
  private consumedSinceCleanup = 0;
  private readonly insert: PreparedQuery;
  private readonly select: PreparedQuery;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.insert = new PreparedQuery(
      dataSource,
      `INSERT INTO security_used_token (digest, used_at, expires_at) VALUES ($1, now(), $2)
       ON CONFLICT (digest) DO NOTHING RETURNING digest`,
    );
    this.select = new PreparedQuery(dataSource, 'SELECT 1 FROM security_used_token WHERE digest = $1');
  }

  async consume(digest: string, expiresAt: Date): Promise<boolean> {
    const rows = await this.insert.rows([digest, expiresAt]);
    if (++this.consumedSinceCleanup >= CLEANUP_EVERY) {
      this.consumedSinceCleanup = 0;
      await this.dataSource.query('DELETE FROM security_used_token WHERE expires_at < now()');
    }
    return rows.length === 1;
  }

  async isUsed(digest: string): Promise<boolean> {
    return (await this.select.rows([digest])).length > 0;
  }

  override async deleteExpired(limit?: number): Promise<number> {
    return deleteExpiredRows(this.dataSource, 'security_used_token', 'expires_at < now()', [], limit);
  }
}
