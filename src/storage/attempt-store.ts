/** The outcome of counting one attempt. */
export interface AttemptResult {
  /** False while the key is locked out (this attempt included). */
  allowed: boolean;
  /** Seconds until the lockout ends; 0 when allowed. */
  retryAfter: number;
}

/**
 * Brute-force counters shared by every app instance. Also the injection
 * token: replace it with `storage: { ...typeormStorage(), attempts: myStore }`.
 *
 * `hit` counts one attempt in a fixed window of `windowSeconds` that starts
 * at the first attempt. The attempt that takes the count past `max` is
 * refused and locks the key for `lockoutSeconds`; while locked, attempts are
 * refused and not counted. After the lockout the next attempt starts a new
 * window. Each hit is one atomic operation: of concurrent attempts on one
 * key, never more than `max` are allowed.
 */
export abstract class AttemptStore {
  abstract hit(key: string, windowSeconds: number, max: number, lockoutSeconds: number): Promise<AttemptResult>;
  /** Forget the key's count and lockout (a successful login resets its account counter). */
  abstract reset(key: string): Promise<void>;
  /**
   * Counters whose lockout is over and whose window started more than
   * `olderThanSeconds` ago, at most `limit` of them (housekeeping); resolves
   * how many were deleted. Stores whose entries expire by themselves (Redis,
   * memory) keep this default: nothing to do.
   */
  async deleteExpired(_limit?: number, _olderThanSeconds?: number): Promise<number> {
    return 0;
  }
}
