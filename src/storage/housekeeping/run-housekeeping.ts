import type { AttemptStore } from '../attempt-store.js';
import type { CodeStore } from '../code-store.js';
import type { RefreshTokenStore } from '../refresh-token-store.js';
import type { SessionStore } from '../session-store.js';
import type { UsedTokenStore } from '../used-token-store.js';

/** At most this many batches per store in one run, so one run stays bounded however far behind it is. */
export const HOUSEKEEPING_MAX_BATCHES = 10;

/** What one run deleted, per store, and how long it took. */
export interface HousekeepingReport {
  sessions: number;
  attempts: number;
  usedTokens: number;
  codes: number;
  refreshTrackers: number;
  /** Whether some store still had more than one run may delete (the next run goes on). */
  more: boolean;
  milliseconds: number;
}

export interface HousekeepingStores {
  sessions: SessionStore;
  attempts: AttemptStore;
  usedTokens: UsedTokenStore;
  codes: CodeStore;
  refreshTokens: RefreshTokenStore;
}

export interface HousekeepingLimits {
  /** Rows per statement. */
  batchSize: number;
  /** Attempt counters whose window started longer ago than this (and are not locked) are over: the longest window or lockout. */
  attemptHorizonSeconds: number;
}

/** One bounded pass over every store: batches of `batchSize` until one comes back short, at most HOUSEKEEPING_MAX_BATCHES each. */
export async function runHousekeeping(stores: HousekeepingStores, limits: HousekeepingLimits): Promise<HousekeepingReport> {
  const started = performance.now();
  const batchSize = Math.max(1, Math.floor(limits.batchSize));
  const sweep = async (deleteBatch: (limit: number) => Promise<number>) => {
    let deleted = 0;
    for (let batch = 0; batch < HOUSEKEEPING_MAX_BATCHES; batch++) {
      const count = await deleteBatch(batchSize);
      deleted += count;
      if (count < batchSize) return { deleted, more: false };
    }
    return { deleted, more: true };
  };
  const sessions = await sweep((limit) => stores.sessions.deleteExpired(limit));
  const attempts = await sweep((limit) => stores.attempts.deleteExpired(limit, limits.attemptHorizonSeconds));
  const usedTokens = await sweep((limit) => stores.usedTokens.deleteExpired(limit));
  const codes = await sweep((limit) => stores.codes.deleteExpired(limit));
  const refreshTrackers = await sweep((limit) => stores.refreshTokens.deleteExpired(limit));
  return {
    sessions: sessions.deleted,
    attempts: attempts.deleted,
    usedTokens: usedTokens.deleted,
    codes: codes.deleted,
    refreshTrackers: refreshTrackers.deleted,
    more: sessions.more || attempts.more || usedTokens.more || codes.more || refreshTrackers.more,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** "Deleted 3 sessions, 0 attempts, 1 used tokens, 0 codes in 12 ms": the CLI's line and the log's. */
export function describeHousekeeping(report: HousekeepingReport): string {
  return (
    `Deleted ${report.sessions} sessions, ${report.attempts} attempts, ${report.usedTokens} used tokens, ${report.codes} codes, ` +
    `${report.refreshTrackers} refresh trackers ` +
    `in ${report.milliseconds} ms${report.more ? ' (more left for the next run)' : ''}`
  );
}
