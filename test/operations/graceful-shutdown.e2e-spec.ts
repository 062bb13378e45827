/**
 * SIGTERM on a real app process (test/apps/instance, shutdown hooks on):
 * a request in flight is answered 200 before the process exits with 0.
 */
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startInstance, type Instance } from '../support/instances.js';

describe('graceful shutdown', () => {
  let database: TestDatabase;
  let instance: Instance;

  beforeAll(async () => {
    database = await createTestDatabase();
    instance = await startInstance({ DATABASE_URL: database.url });
  }, 60_000);

  afterAll(async () => {
    await instance?.stop('SIGKILL');
    await database?.drop();
  });

  it('drains the request in flight on SIGTERM, then exits 0', async () => {
    const inFlight = request(instance.url)
      .get('/slow?ms=1500')
      .then((answer) => answer);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentAt = Date.now();
    instance.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ slept: 1500 });
    expect(await instance.exited).toBe(0);
    // It waited for the answer rather than dying at once.
    expect(Date.now() - sentAt).toBeGreaterThan(1000);
    expect(instance.stderr()).not.toMatch(/Error/);
  }, 20_000);
});
