/** A pending code as stored: only its hash, never the code. */
export interface StoredCode {
  codeHash: string;
  expiresAt: Date;
}

/**
 * Short codes waiting to be typed (unified sign-in codes; two-factor codes
 * use other purposes): at most one per user and purpose, a new one replacing
 * the last. Also the injection token. `purpose` is at most 16 characters.
 *
 * `take` is the single-use guarantee: of N concurrent takes of one pending
 * code, across every app instance sharing the store, exactly one resolves
 * true. Expired codes stay readable (so "expired" can be told apart from
 * "wrong") until an implementation forgets them, no sooner than a day after
 * they expired.
 */
export abstract class CodeStore {
  /** Store the code, replacing the user's pending one for this purpose. */
  abstract put(userId: number, purpose: string, code: StoredCode): Promise<void>;
  /** The pending code, expired or not. */
  abstract get(userId: number, purpose: string): Promise<StoredCode | null>;
  /** Delete the pending code if it still has this hash; true for the one caller that deleted it. */
  abstract take(userId: number, purpose: string, codeHash: string): Promise<boolean>;
  abstract discard(userId: number, purpose: string): Promise<void>;
  /**
   * Codes expired more than a day ago, at most `limit` of them
   * (housekeeping); resolves how many were deleted. The default, for stores
   * that forget on their own, does nothing.
   */
  async deleteExpired(_limit?: number): Promise<number> {
    return 0;
  }
}
