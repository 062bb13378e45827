import { type NewRefreshTracker, type RefreshTracker, RefreshTokenStore, type StaleTrackers } from '../refresh-token-store.js';
import { refuseInProduction } from './refuse-production.js';

/** Refresh-token families in a Map. `rotate` compares and bumps in one synchronous step. */
export class MemoryRefreshTokenStore extends RefreshTokenStore {
  private readonly trackers = new Map<string, RefreshTracker>();

  override async deleteExpired(limit = Infinity): Promise<number> {
    const now = Date.now();
    let deleted = 0;
    for (const [family, tracker] of this.trackers) {
      if (deleted >= limit) break;
      if (tracker.expiresAt.getTime() < now) {
        this.trackers.delete(family);
        deleted++;
      }
    }
    return deleted;
  }

  constructor() {
    super();
    refuseInProduction('MemoryRefreshTokenStore');
  }

  async create(tracker: NewRefreshTracker): Promise<RefreshTracker> {
    if (this.trackers.has(tracker.family)) throw new Error('a refresh token family with this id exists already');
    const stored: RefreshTracker = copy({ createdAt: new Date(), ...tracker, gen: 1, revokedAt: null });
    this.trackers.set(stored.family, stored);
    return copy(stored);
  }

  async find(family: string): Promise<RefreshTracker | null> {
    const tracker = this.trackers.get(family);
    return tracker ? copy(tracker) : null;
  }

  async rotate(family: string, gen: number, usedAt: Date): Promise<RefreshTracker | null> {
    const tracker = this.trackers.get(family);
    if (!tracker || tracker.gen !== gen || tracker.revokedAt) return null;
    tracker.gen = gen + 1;
    tracker.lastUsedAt = new Date(usedAt);
    return copy(tracker);
  }

  async revoke(family: string, at: Date): Promise<void> {
    const tracker = this.trackers.get(family);
    if (tracker && !tracker.revokedAt) tracker.revokedAt = new Date(at);
  }

  async revokeAllForUser(userId: number, at: Date): Promise<void> {
    for (const tracker of this.trackers.values()) {
      if (tracker.userId === userId && !tracker.revokedAt) tracker.revokedAt = new Date(at);
    }
  }

  async deleteStaleForUser(userId: number, { expiredBefore, revoked = false }: StaleTrackers): Promise<void> {
    for (const [family, tracker] of this.trackers) {
      if (tracker.userId !== userId) continue;
      const expired = expiredBefore !== undefined && tracker.expiresAt.getTime() < expiredBefore.getTime();
      if (expired || (revoked && tracker.revokedAt)) this.trackers.delete(family);
    }
  }
}

function copy(tracker: RefreshTracker): RefreshTracker {
  return {
    ...tracker,
    expiresAt: new Date(tracker.expiresAt),
    lastUsedAt: new Date(tracker.lastUsedAt),
    revokedAt: tracker.revokedAt ? new Date(tracker.revokedAt) : null,
    createdAt: new Date(tracker.createdAt),
  };
}
