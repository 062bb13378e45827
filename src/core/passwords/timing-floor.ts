import { setTimeout as sleep } from 'node:timers/promises';

/*
 * Why: a login's answer time must not say whether the account exists, nor
 * which scheme its stored hash uses (a migrated bcrypt account costs more
 * than the argon2id dummy an unknown address is checked against).
 *
 * How: every password check is timed and filed under its hash's cost class
 * (scheme and parameters, e.g. "$2b$12", "$argon2id$v=19$m=19456,t=2,p=1").
 * Each class keeps its last few durations; the floor is the highest median
 * over the classes, and every check that finished sooner waits until the
 * floor has passed. So the unknown address, a junk hash and a cheap scheme
 * all take as long as the dearest scheme in use.
 *
 * A class's samples change only when a hash of that class is checked, so an
 * attacker cannot lower the floor by flooding logins for unknown addresses.
 * Medians (not maxima) keep one slow check under load from raising every
 * login; the ceiling keeps one absurd stored hash from doing so for good.
 * A class not checked for a day is forgotten (its users have been rehashed
 * to the configured scheme, or are gone), so one legacy login does not slow
 * every later one for good.
 * What it cannot hide: the first check of a class not (or no longer)
 * measured (the configured scheme is measured at start-up).
 */

export interface TimingFloorOptions {
  /** Durations kept per cost class. Default 15. */
  samplesPerClass?: number;
  /** Cost classes kept (least recently checked dropped first). Default 32. */
  maxClasses?: number;
  /** The floor never exceeds this many ms. Default 2000. */
  ceilingMs?: number;
  /** A class not checked for this many ms is forgotten. Default one day. */
  classTtlMs?: number;
  /** Milliseconds, monotonic. For tests. */
  now?: () => number;
  /** Waits this many ms. For tests. */
  wait?: (ms: number) => Promise<unknown>;
}

export class TimingFloor {
  private readonly samplesPerClass: number;
  private readonly maxClasses: number;
  private readonly ceilingMs: number;
  private readonly classTtlMs: number;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<unknown>;
  /** Per class, its recent durations (oldest first) and when it was last checked; Map order is least recently checked first. */
  private readonly classes = new Map<string, { durations: number[]; checkedAt: number }>();
  private floor = 0;

  constructor(options: TimingFloorOptions = {}) {
    this.samplesPerClass = options.samplesPerClass ?? 15;
    this.maxClasses = options.maxClasses ?? 32;
    this.ceilingMs = options.ceilingMs ?? 2000;
    this.classTtlMs = options.classTtlMs ?? 24 * 3600 * 1000;
    this.now = options.now ?? (() => performance.now());
    this.wait = options.wait ?? sleep;
  }

  /** The current floor in ms: the highest median duration over the cost classes, at most the ceiling. */
  get floorMs(): number {
    return this.floor;
  }

  /** Files one check's duration under its class. */
  record(costClass: string, ms: number): void {
    const now = this.now();
    const durations = this.classes.get(costClass)?.durations ?? [];
    this.classes.delete(costClass); // re-inserted last: most recently checked
    durations.push(ms);
    if (durations.length > this.samplesPerClass) durations.shift();
    this.classes.set(costClass, { durations, checkedAt: now });
    for (const [name, entry] of this.classes) {
      if (this.classes.size <= this.maxClasses && now - entry.checkedAt <= this.classTtlMs) break; // the rest are newer
      this.classes.delete(name);
    }
    let floor = 0;
    for (const entry of this.classes.values()) floor = Math.max(floor, median(entry.durations));
    this.floor = Math.min(floor, this.ceilingMs);
  }

  /**
   * Runs one check of a hash of `costClass`, records how long it took, and
   * resolves no sooner than the floor (as it stands after this check).
   */
  async padded<T>(costClass: string, check: () => Promise<T>): Promise<T> {
    const started = this.now();
    let result: T;
    try {
      result = await check();
    } finally {
      const elapsed = this.now() - started;
      this.record(costClass, elapsed);
      const rest = this.floor - elapsed;
      if (rest > 0) await this.wait(rest);
    }
    return result;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The cost class of a stored hash: its scheme and cost parameters, without
 * salt and checksum ("$2b$12", "$argon2id$v=19$m=19456,t=2,p=1",
 * "$5$rounds=535000", "pbkdf2:sha256:600000"). Anything unparsable is "other".
 */
export function costClassOf(storedHash: string | null | undefined): string {
  if (typeof storedHash !== 'string' || storedHash.length === 0) return 'none';
  const hash = storedHash.slice(0, 200);
  const bcrypt = /^\$2[abxy]\$\d\d/.exec(hash);
  if (bcrypt) return bcrypt[0];
  if (hash.startsWith('$')) {
    const parts = hash.split('$');
    // $id[$params...]$salt$checksum; SHA-crypt may omit its rounds.
    return parts.length > 3 ? parts.slice(0, -2).join('$') : 'other';
  }
  const werkzeug = /^(pbkdf2|scrypt):[^$]{1,60}(?=\$)/.exec(hash);
  return werkzeug ? werkzeug[0] : 'other';
}
