import type { DataSource } from 'typeorm';
import { CodeStore, type StoredCode } from '../code-store.js';
import { deleteExpiredRows } from './delete-expired.js';

/** Expired codes are kept this long, so a late code reads "expired", not "wrong". */
const KEEP_EXPIRED_SECONDS = 24 * 3600;
/** Every this many codes stored, long-expired rows of everyone are deleted. */
const CLEANUP_EVERY = 100;

/**
 * Pending codes in `security_us_code`, one row per user and purpose. `take`
 * is a DELETE conditional on the hash, so the row lock decides the one winner.
 */
export class TypeOrmCodeStore extends CodeStore {
  private storedSinceCleanup = 0;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async put(userId: number, purpose: string, code: StoredCode): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO security_us_code (user_id, purpose, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (user_id, purpose) DO UPDATE
       SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at`,
      [userId, purpose, code.codeHash, code.expiresAt],
    );
    if (++this.storedSinceCleanup >= CLEANUP_EVERY) {
      this.storedSinceCleanup = 0;
      await this.dataSource.query(`DELETE FROM security_us_code WHERE expires_at < now() - make_interval(secs => $1::float8)`, [
        KEEP_EXPIRED_SECONDS,
      ]);
    }
  }

  override async deleteExpired(limit?: number): Promise<number> {
    return deleteExpiredRows(
      this.dataSource,
      'security_us_code',
      'expires_at < now() - make_interval(secs => $1::float8)',
      [KEEP_EXPIRED_SECONDS],
      limit,
    );
  }

  async get(userId: number, purpose: string): Promise<StoredCode | null> {
    const rows: Array<{ code_hash: string; expires_at: Date }> = await this.dataSource.query(
      'SELECT code_hash, expires_at FROM security_us_code WHERE user_id = $1 AND purpose = $2',
      [userId, purpose],
    );
    const row = rows[0];
    return row ? { codeHash: row.code_hash, expiresAt: new Date(row.expires_at) } : null;
  }

  async take(userId: number, purpose: string, codeHash: string): Promise<boolean> {
    const rows = rowsOf(
      await this.dataSource.query(
        'DELETE FROM security_us_code WHERE user_id = $1 AND purpose = $2 AND code_hash = $3 RETURNING 1 AS taken',
        [userId, purpose, codeHash],
      ),
    );
    return rows.length === 1;
  }

  async discard(userId: number, purpose: string): Promise<void> {
    await this.dataSource.query('DELETE FROM security_us_code WHERE user_id = $1 AND purpose = $2', [userId, purpose]);
  }
}

/** Rows of a raw query result: pg gives [rows, count] for UPDATE/DELETE ... RETURNING; PGlite gives rows. */
export function rowsOf(raw: unknown): unknown[] {
  if (!Array.isArray(raw)) return [];
  if (raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0];
  return raw;
}
