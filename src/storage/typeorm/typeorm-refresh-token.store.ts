import type { DataSource } from 'typeorm';
import { deleteExpiredRows } from './delete-expired.js';
import { type NewRefreshTracker, type RefreshTracker, RefreshTokenStore, type StaleTrackers } from '../refresh-token-store.js';
import { rowsOf } from './typeorm-code.store.js';

const COLUMNS = 'refresh_family, user_id, name, gen, expires_at, last_used_at, revoked_at, create_datetime';

interface TrackerRow {
  refresh_family: string;
  user_id: number;
  name: string;
  gen: number;
  expires_at: Date | string;
  last_used_at: Date | string;
  revoked_at: Date | string | null;
  create_datetime: Date | string;
}

/**
 * Refresh-token families in `fs_refresh` (Flask-Security's table). `rotate`
 * is one UPDATE ... WHERE gen = $n AND revoked_at IS NULL: the row lock
 * decides the one winner of concurrent rotations, and the losers see the
 * condition fail once the winner commits.
 */
export class TypeOrmRefreshTokenStore extends RefreshTokenStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async create(tracker: NewRefreshTracker): Promise<RefreshTracker> {
    const rows = rowsOf(
      await this.dataSource.query(
        `INSERT INTO fs_refresh (refresh_family, user_id, name, gen, expires_at, last_used_at, create_datetime)
         VALUES ($1, $2, $3, 1, $4, $5, COALESCE($6, now())) RETURNING ${COLUMNS}`,
        [tracker.family, tracker.userId, tracker.name, tracker.expiresAt, tracker.lastUsedAt, tracker.createdAt ?? null],
      ),
    ) as TrackerRow[];
    return toTracker(rows[0]);
  }

  async find(family: string): Promise<RefreshTracker | null> {
    const rows: TrackerRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM fs_refresh WHERE refresh_family = $1`, [family]);
    return rows[0] ? toTracker(rows[0]) : null;
  }

  async rotate(family: string, gen: number, usedAt: Date): Promise<RefreshTracker | null> {
    const rows = rowsOf(
      await this.dataSource.query(
        `UPDATE fs_refresh SET gen = gen + 1, last_used_at = $3
         WHERE refresh_family = $1 AND gen = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
        [family, gen, usedAt],
      ),
    ) as TrackerRow[];
    return rows.length === 1 ? toTracker(rows[0]) : null;
  }

  async revoke(family: string, at: Date): Promise<void> {
    await this.dataSource.query('UPDATE fs_refresh SET revoked_at = $2 WHERE refresh_family = $1 AND revoked_at IS NULL', [family, at]);
  }

  async revokeAllForUser(userId: number, at: Date): Promise<void> {
    await this.dataSource.query('UPDATE fs_refresh SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, at]);
  }

  override async deleteExpired(limit?: number): Promise<number> {
    return deleteExpiredRows(this.dataSource, 'fs_refresh', 'expires_at < now()', [], limit);
  }

  async deleteStaleForUser(userId: number, { expiredBefore, revoked = false }: StaleTrackers): Promise<void> {
    if (expiredBefore === undefined && !revoked) return;
    await this.dataSource.query(
      `DELETE FROM fs_refresh WHERE user_id = $1
       AND (($2::timestamptz IS NOT NULL AND expires_at < $2::timestamptz) OR ($3::boolean AND revoked_at IS NOT NULL))`,
      [userId, expiredBefore ?? null, revoked],
    );
  }
}

function toTracker(row: TrackerRow): RefreshTracker {
  return {
    family: row.refresh_family,
    userId: Number(row.user_id),
    name: row.name,
    gen: Number(row.gen),
    expiresAt: new Date(row.expires_at),
    lastUsedAt: new Date(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    createdAt: new Date(row.create_datetime),
  };
}
