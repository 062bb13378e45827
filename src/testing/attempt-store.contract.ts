import { randomBytes } from 'node:crypto';
import type { AttemptStore } from '../storage/attempt-store.js';
import { sleep, testGlobals } from './jest-globals.js';

/** The AttemptStore contract (see its doc comment), against a store `make` returns. */
export function describeAttemptStoreContract(name: string, make: () => AttemptStore | Promise<AttemptStore>): void {
  const { describe, it, expect, beforeAll } = testGlobals();
  describe(`${name}: the AttemptStore contract`, () => {
    let store: AttemptStore;
    const key = () => `contract:${randomBytes(6).toString('hex')}`;

    beforeAll(async () => {
      store = await make();
    });

    it('allows max attempts per window, refuses the next with the lockout as retryAfter', async () => {
      const k = key();
      for (let i = 0; i < 3; i++) expect(await store.hit(k, 60, 3, 120)).toEqual({ allowed: true, retryAfter: 0 });
      const refused = await store.hit(k, 60, 3, 120);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfter).toBeGreaterThan(119);
      expect(refused.retryAfter).toBeLessThanOrEqual(120);
      const again = await store.hit(k, 60, 3, 120);
      expect(again.allowed).toBe(false);
      expect(again.retryAfter).toBeLessThanOrEqual(refused.retryAfter);
    });

    it('keeps keys apart', async () => {
      const [a, b] = [key(), key()];
      for (let i = 0; i < 3; i++) await store.hit(a, 60, 2, 120);
      expect((await store.hit(b, 60, 2, 120)).allowed).toBe(true);
    });

    it('reset forgets count and lockout', async () => {
      const k = key();
      for (let i = 0; i < 4; i++) await store.hit(k, 60, 3, 120);
      await store.reset(k);
      expect((await store.hit(k, 60, 3, 120)).allowed).toBe(true);
    });

    it('unlocks by time, with a new window', async () => {
      const k = key();
      for (let i = 0; i < 4; i++) await store.hit(k, 60, 3, 0.3);
      expect((await store.hit(k, 60, 3, 0.3)).allowed).toBe(false);
      await sleep(450);
      for (let i = 0; i < 3; i++) expect((await store.hit(k, 60, 3, 0.3)).allowed).toBe(true);
      expect((await store.hit(k, 60, 3, 0.3)).allowed).toBe(false);
    });

    it('a window that ends starts the count again', async () => {
      const k = key();
      for (let i = 0; i < 3; i++) await store.hit(k, 0.3, 3, 120);
      await sleep(450);
      expect((await store.hit(k, 0.3, 3, 120)).allowed).toBe(true);
    });

    it('of 40 concurrent attempts exactly max pass', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 40 }, () => store.hit(k, 60, 7, 120)));
      expect(results.filter((result) => result.allowed)).toHaveLength(7);
    });
  });
}
