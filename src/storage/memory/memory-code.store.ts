import { CodeStore, type StoredCode } from '../code-store.js';
import { refuseInProduction } from './refuse-production.js';

/** Expired codes are kept this long, so a late code reads "expired", not "wrong". */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

/** Pending codes in a Map by user and purpose. `take` compares and deletes in one synchronous step. */
export class MemoryCodeStore extends CodeStore {
  private readonly codes = new Map<string, StoredCode>();

  constructor() {
    super();
    refuseInProduction('MemoryCodeStore');
  }

  async put(userId: number, purpose: string, code: StoredCode): Promise<void> {
    const cutoff = Date.now() - KEEP_EXPIRED_MS;
    for (const [key, each] of this.codes) if (each.expiresAt.getTime() < cutoff) this.codes.delete(key);
    this.codes.set(keyOf(userId, purpose), { codeHash: code.codeHash, expiresAt: new Date(code.expiresAt) });
  }

  async get(userId: number, purpose: string): Promise<StoredCode | null> {
    const code = this.codes.get(keyOf(userId, purpose));
    return code ? { ...code } : null;
  }

  async take(userId: number, purpose: string, codeHash: string): Promise<boolean> {
    const key = keyOf(userId, purpose);
    if (this.codes.get(key)?.codeHash !== codeHash) return false;
    this.codes.delete(key);
    return true;
  }

  async discard(userId: number, purpose: string): Promise<void> {
    this.codes.delete(keyOf(userId, purpose));
  }
}

function keyOf(userId: number, purpose: string): string {
  return `${userId}\0${purpose}`;
}
