/**
 * Remembers one-time tokens (reset links, login links) once used. Also the
 * injection token. Tokens arrive as digests (see `tokenDigest`), never as text.
 *
 * `consume` is the single-use guarantee: of N concurrent consumes of one
 * digest, across every app instance sharing the store, exactly one resolves
 * true. A digest may be forgotten once `expiresAt` has passed (the token
 * itself no longer verifies then).
 */
export abstract class UsedTokenStore {
  /** Record the digest as used; true only for the first use. */
  abstract consume(digest: string, expiresAt: Date): Promise<boolean>;
  abstract isUsed(digest: string): Promise<boolean>;
  /**
   * Digests past their `expiresAt`, at most `limit` of them (housekeeping);
   * resolves how many were deleted. The default, for stores that forget on
   * their own, does nothing.
   */
  async deleteExpired(_limit?: number): Promise<number> {
    return 0;
  }
}
