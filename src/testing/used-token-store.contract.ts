import { randomBytes } from 'node:crypto';
import type { UsedTokenStore } from '../storage/used-token-store.js';
import { testGlobals } from './jest-globals.js';

/** The UsedTokenStore contract: single use, even under concurrent use. */
export function describeUsedTokenStoreContract(name: string, make: () => UsedTokenStore | Promise<UsedTokenStore>): void {
  const { describe, it, expect, beforeAll } = testGlobals();
  describe(`${name}: the UsedTokenStore contract`, () => {
    let store: UsedTokenStore;
    const digest = () => randomBytes(32).toString('hex');
    const later = () => new Date(Date.now() + 3600_000);

    beforeAll(async () => {
      store = await make();
    });

    it('the first consume wins, later ones lose; isUsed tells', async () => {
      const d = digest();
      expect(await store.isUsed(d)).toBe(false);
      expect(await store.consume(d, later())).toBe(true);
      expect(await store.consume(d, later())).toBe(false);
      expect(await store.isUsed(d)).toBe(true);
      expect(await store.isUsed(digest())).toBe(false);
    });

    it('of 20 concurrent consumes of one digest exactly one wins', async () => {
      const d = digest();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.consume(d, later())));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
