/**
 * One refresh-token family as tracked (Flask-Security 5.9's FsRefreshTracker).
 * Every refresh token of a family names it; only the one carrying the
 * current `gen` may be exchanged for the next.
 */
export interface RefreshTracker {
  /** Random, unique: Flask-Security's `refresh_family` (32 hex characters; at most 64). */
  family: string;
  userId: number;
  /** The client's label for the family; Flask-Security uses 'default'. At most 64 characters. */
  name: string;
  /** The generation a token must carry to be exchanged; 1 when the family is created. */
  gen: number;
  /** The family's absolute end; rotation does not move it. */
  expiresAt: Date;
  /** Creation, then each rotation: the idle limit counts from here. */
  lastUsedAt: Date;
  /** Set once, when the family is revoked; a revoked family is dead for good. */
  revokedAt: Date | null;
  /** When the family was created: the user's primary authentication. */
  createdAt: Date;
}

export type NewRefreshTracker = Pick<RefreshTracker, 'family' | 'userId' | 'name' | 'expiresAt' | 'lastUsedAt'> & {
  createdAt?: Date;
};

/** Which of a user's trackers `deleteStaleForUser` removes. */
export interface StaleTrackers {
  /** Families that expired before this date. */
  expiredBefore?: Date;
  /** Revoked families. */
  revoked?: boolean;
}

/**
 * Where refresh-token families live. Also the injection token: replace it
 * with `storage: { ...typeormStorage(), refreshTokens: myStore }`.
 *
 * `rotate` is the single-use guarantee: of N concurrent rotations of one
 * family from one generation, across every app instance sharing the store,
 * exactly one resolves a tracker; the others resolve null. A revoked family
 * never rotates. Writes are visible to every reader once they resolve.
 */
export abstract class RefreshTokenStore {
  /** Store a new family at generation 1, not revoked. Resolves it as stored. */
  abstract create(tracker: NewRefreshTracker): Promise<RefreshTracker>;
  /** The family, whatever its state (expired, revoked), or null. */
  abstract find(family: string): Promise<RefreshTracker | null>;
  /**
   * Move the family from `gen` to `gen + 1` and set `lastUsedAt`, only if it
   * is still at `gen` and not revoked (one conditional write). The rotated
   * tracker, or null when another use got there first or it is revoked.
   */
  abstract rotate(family: string, gen: number, usedAt: Date): Promise<RefreshTracker | null>;
  /** Mark the family revoked (a no-op when unknown or already revoked: the first date stays). */
  abstract revoke(family: string, at: Date): Promise<void>;
  /** Revoke every family of the user. */
  abstract revokeAllForUser(userId: number, at: Date): Promise<void>;
  /** Delete the user's expired and/or revoked families (Flask-Security's cleanup at each new family). */
  abstract deleteStaleForUser(userId: number, stale: StaleTrackers): Promise<void>;
  /**
   * Families past their absolute end (revoked or not: either way no token of
   * theirs is accepted), of every user, at most `limit` of them
   * (housekeeping); resolves how many were deleted. The default does nothing.
   */
  async deleteExpired(_limit?: number): Promise<number> {
    return 0;
  }
}
