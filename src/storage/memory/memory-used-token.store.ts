import { UsedTokenStore } from '../used-token-store.js';
import { refuseInProduction } from './refuse-production.js';

/** Used-token digests in a Map. Check and record happen in one synchronous step, so one consume wins. */
export class MemoryUsedTokenStore extends UsedTokenStore {
  private readonly used = new Map<string, number>();

  constructor() {
    super();
    refuseInProduction('MemoryUsedTokenStore');
  }

  async consume(digest: string, expiresAt: Date): Promise<boolean> {
    this.forgetExpired();
    if (this.used.has(digest)) return false;
    this.used.set(digest, expiresAt.getTime());
    return true;
  }

  async isUsed(digest: string): Promise<boolean> {
    return this.used.has(digest);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [digest, expiresAt] of this.used) if (expiresAt < now) this.used.delete(digest);
  }
}
