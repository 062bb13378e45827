import type { DataSource } from 'typeorm';
import { type AttemptResult, AttemptStore } from '../attempt-store.js';
import { deleteExpiredRows } from './delete-expired.js';
import { PreparedQuery } from './prepared-query.js';

/** Every this many hits, rows whose window and lockout are long over are deleted. */
const CLEANUP_EVERY = 1000;

// One statement: insert the first attempt, or update the row under its lock.
// $1 key, $2 window (s), $3 max, $4 lockout (s). All CASEs read the old row.
const HIT_SQL = `
INSERT INTO security_attempt AS a (key, count, window_started_at, locked_until)
VALUES ($1, 1, now(), CASE WHEN 1 > $3::int THEN now() + make_interval(secs => $4::float8) END)
ON CONFLICT (key) DO UPDATE SET
  count = CASE
    WHEN a.locked_until > now() THEN a.count
    WHEN a.locked_until IS NOT NULL OR a.window_started_at <= now() - make_interval(secs => $2::float8) THEN 1
    ELSE a.count + 1 END,
  window_started_at = CASE
    WHEN a.locked_until > now() THEN a.window_started_at
    WHEN a.locked_until IS NOT NULL OR a.window_started_at <= now() - make_interval(secs => $2::float8) THEN now()
    ELSE a.window_started_at END,
  locked_until = CASE
    WHEN a.locked_until > now() THEN a.locked_until
    WHEN a.locked_until IS NOT NULL OR a.window_started_at <= now() - make_interval(secs => $2::float8)
      THEN CASE WHEN 1 > $3::int THEN now() + make_interval(secs => $4::float8) END
    WHEN a.count + 1 > $3::int THEN now() + make_interval(secs => $4::float8)
    ELSE NULL END
RETURNING EXTRACT(EPOCH FROM (locked_until - now()))::float8 AS retry_after`;

/**
 * Counters in the `security_attempt` table (the default): every instance
 * on the database shares them, and each hit is a single upsert, so the
 * row lock serialises concurrent attempts on one key.
 */
export class TypeOrmAttemptStore extends AttemptStore {
  private hitsSinceCleanup = 0;
  private readonly hitQuery: PreparedQuery;
  private longestHorizon = 0;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.hitQuery = new PreparedQuery(dataSource, HIT_SQL);
  }

  async hit(key: string, windowSeconds: number, max: number, lockoutSeconds: number): Promise<AttemptResult> {
    const rows = (await this.hitQuery.rows([key, windowSeconds, max, lockoutSeconds])) as Array<{ retry_after: number | string | null }>;
    this.longestHorizon = Math.max(this.longestHorizon, windowSeconds, lockoutSeconds);
    if (++this.hitsSinceCleanup >= CLEANUP_EVERY) {
      this.hitsSinceCleanup = 0;
      await this.cleanup();
    }
    const retryAfter = Number(rows[0]?.retry_after ?? 0);
    return retryAfter > 0 ? { allowed: false, retryAfter } : { allowed: true, retryAfter: 0 };
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM security_attempt WHERE key = $1', [key]);
  }

  override async deleteExpired(limit?: number, olderThanSeconds = this.longestHorizon): Promise<number> {
    return deleteExpiredRows(
      this.dataSource,
      'security_attempt',
      '(locked_until IS NULL OR locked_until < now()) AND window_started_at < now() - make_interval(secs => $1::float8)',
      [olderThanSeconds],
      limit,
    );
  }

  private async cleanup(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM security_attempt
       WHERE (locked_until IS NULL OR locked_until < now()) AND window_started_at < now() - make_interval(secs => $1::float8)`,
      [this.longestHorizon],
    );
  }
}
