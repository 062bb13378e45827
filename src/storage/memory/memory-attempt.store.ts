import { type AttemptResult, AttemptStore } from '../attempt-store.js';
import { refuseInProduction } from './refuse-production.js';

interface Counter {
  count: number;
  windowEndsAt: number;
  lockedUntil: number;
}

/** Past this many keys, counters whose window and lockout are over are dropped. */
const SWEEP_ABOVE = 10_000;

/** Counters in a Map; each hit is one synchronous step, so concurrent hits never pass `max` together. */
export class MemoryAttemptStore extends AttemptStore {
  private readonly counters = new Map<string, Counter>();

  constructor() {
    super();
    refuseInProduction('MemoryAttemptStore');
  }

  async hit(key: string, windowSeconds: number, max: number, lockoutSeconds: number): Promise<AttemptResult> {
    const now = Date.now();
    if (this.counters.size > SWEEP_ABOVE) this.sweep(now);
    let counter = this.counters.get(key);
    if (counter && counter.lockedUntil > now) return { allowed: false, retryAfter: (counter.lockedUntil - now) / 1000 };
    if (!counter || counter.lockedUntil > 0 || counter.windowEndsAt <= now) {
      counter = { count: 0, windowEndsAt: now + windowSeconds * 1000, lockedUntil: 0 };
      this.counters.set(key, counter);
    }
    counter.count++;
    if (counter.count > max) {
      counter.lockedUntil = now + lockoutSeconds * 1000;
      return { allowed: false, retryAfter: lockoutSeconds };
    }
    return { allowed: true, retryAfter: 0 };
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, counter] of this.counters) if (counter.lockedUntil <= now && counter.windowEndsAt <= now) this.counters.delete(key);
  }
}
