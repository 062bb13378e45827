import { randomBytes } from 'node:crypto';
import type { CodeStore } from '../storage/code-store.js';
import { testGlobals } from './jest-globals.js';

/**
 * The CodeStore contract. `makeUser` returns the id of a user the store may
 * hold codes for (a database store's rows reference the user table).
 */
export function describeCodeStoreContract(
  name: string,
  make: () => CodeStore | Promise<CodeStore>,
  makeUser: () => Promise<number> = (() => {
    let next = 1;
    return async () => next++;
  })(),
): void {
  const { describe, it, expect, beforeAll } = testGlobals();
  describe(`${name}: the CodeStore contract`, () => {
    let store: CodeStore;
    const hash = () => randomBytes(32).toString('hex');
    const inMinutes = (minutes: number) => new Date(Math.floor((Date.now() + minutes * 60_000) / 1000) * 1000);

    beforeAll(async () => {
      store = await make();
    });

    it('keeps one pending code per user and purpose, a new one replacing the last', async () => {
      const userId = await makeUser();
      const [first, second, other] = [hash(), hash(), hash()];
      await store.put(userId, 'signin', { codeHash: first, expiresAt: inMinutes(2) });
      await store.put(userId, 'verify', { codeHash: other, expiresAt: inMinutes(2) });
      await store.put(userId, 'signin', { codeHash: second, expiresAt: inMinutes(5) });
      expect(await store.get(userId, 'signin')).toEqual({ codeHash: second, expiresAt: inMinutes(5) });
      expect((await store.get(userId, 'verify'))?.codeHash).toBe(other);
      expect(await store.get(userId, 'tf-signin')).toBeNull();
    });

    it('take succeeds once, and only with the pending hash', async () => {
      const userId = await makeUser();
      const code = hash();
      await store.put(userId, 'signin', { codeHash: code, expiresAt: inMinutes(2) });
      expect(await store.take(userId, 'signin', hash())).toBe(false);
      expect(await store.take(userId, 'signin', code)).toBe(true);
      expect(await store.take(userId, 'signin', code)).toBe(false);
      expect(await store.get(userId, 'signin')).toBeNull();
    });

    it('of 20 concurrent takes of one code exactly one wins', async () => {
      const userId = await makeUser();
      const code = hash();
      await store.put(userId, 'signin', { codeHash: code, expiresAt: inMinutes(2) });
      const results = await Promise.all(Array.from({ length: 20 }, () => store.take(userId, 'signin', code)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps an expired code readable, and discard forgets it', async () => {
      const userId = await makeUser();
      await store.put(userId, 'signin', { codeHash: hash(), expiresAt: inMinutes(-5) });
      expect((await store.get(userId, 'signin'))?.expiresAt.getTime()).toBeLessThan(Date.now());
      await store.discard(userId, 'signin');
      expect(await store.get(userId, 'signin')).toBeNull();
    });
  });
}
