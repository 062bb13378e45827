/** typeormStorage() with a single store replaced, on real PostgreSQL. */
import request from 'supertest';
import { AttemptStore } from '../../src/storage/attempt-store.js';
import { SessionStore } from '../../src/storage/session-store.js';
import { TypeOrmSessionStore, typeormStorage } from '../../src/storage/typeorm/index.js';
import { MemoryAttemptStore } from '../../src/testing/index.js';
import { type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { ProtectedController } from '../authn/protected.controller.js';

/** An app's own store: the memory counters, counting how often they are asked. */
class CountingAttemptStore extends MemoryAttemptStore {
  hits = 0;
  override hit(key: string, windowSeconds: number, max: number, lockoutSeconds: number) {
    this.hits++;
    return super.hit(key, windowSeconds, max, lockoutSeconds);
  }
}

describe('storage: { ...typeormStorage(), attempts: myStore }', () => {
  const attempts = new CountingAttemptStore();
  let authn: AuthnApp;

  beforeAll(async () => {
    authn = await createAuthnApp({ controllers: [ProtectedController], options: { storage: { ...typeormStorage(), attempts } } });
  });

  afterAll(() => authn?.close());

  it('counts attempts in the store given and keeps the TypeORM stores for the rest', async () => {
    expect(authn.app.get(AttemptStore)).toBe(attempts);
    expect(authn.app.get(SessionStore)).toBeInstanceOf(TypeOrmSessionStore);
    await authn.createUser('counted@example.com', 'correct horse 1');
    const { cookie } = await authn.login('counted@example.com', 'correct horse 1');
    expect(attempts.hits).toBe(2);
    await request(authn.server).get('/p/session').set('Cookie', cookie).expect(200, { email: 'counted@example.com', via: 'session' });
    const rows = await authn.dataSource.query('SELECT count(*)::int AS n FROM security_attempt');
    expect(rows[0].n).toBe(0);
  });
});
