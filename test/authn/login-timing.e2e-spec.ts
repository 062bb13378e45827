import request from 'supertest';
import { PasswordAuthenticator } from '../../src/authn/login/password-authenticator.service.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { AUTHN_PASSWORD_SALT, type AuthnApp, createAuthnApp } from '../support/authn-app.js';

const PASSWORD = 'correct horse battery';

/** Answer time in ms of one refused login. */
async function timed(send: () => Promise<number>): Promise<number> {
  const started = performance.now();
  expect(await send()).toBe(400);
  return performance.now() - started;
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[times.length >> 1];

describe('login costs the same for every stored scheme and for unknown accounts (real hashes, real HTTP)', () => {
  let authn: AuthnApp;

  beforeAll(async () => {
    // Cheap argon2id (the configured scheme, a few ms), against a migrated bcrypt account at cost 12 (~250 ms).
    authn = await createAuthnApp();
  });

  afterAll(() => authn?.close());

  it('a bcrypt account, an argon2 account and an unknown address answer in the same time', async () => {
    const bcryptHash = await new PasswordHasher({ passwordSalt: AUTHN_PASSWORD_SALT, scheme: 'bcrypt', bcryptRounds: 12 }).hash(PASSWORD);
    await authn.createUser('migrated@example.com', PASSWORD, [], { password: bcryptHash });
    await authn.createUser('native@example.com', PASSWORD);
    const login = (email: string) =>
      request(authn.server)
        .post('/auth/login')
        .send({ email, password: 'a wrong password' })
        .then((r) => r.status);

    await timed(() => login('migrated@example.com')); // the first bcrypt check: the floor learns it
    // Interleaved, so that a change in the machine's load (other suites) falls on all three alike.
    const times = { bcrypt: [] as number[], unknown: [] as number[], argon2: [] as number[] };
    for (let i = 0; i < 5; i++) {
      times.bcrypt.push(await timed(() => login('migrated@example.com')));
      times.unknown.push(await timed(() => login(`nobody-${i}@example.com`)));
      times.argon2.push(await timed(() => login('native@example.com')));
    }
    const bcrypt = median(times.bcrypt);

    // The floor was learned from the bcrypt checks, and the others waited for it
    // (unpadded, they answer in a tenth of the time: the check fails without the padding).
    const floor = authn.app.get(PasswordAuthenticator).timingFloor.floorMs;
    expect(floor).toBeGreaterThan(0.5 * bcrypt);
    expect(median(times.unknown)).toBeGreaterThan(0.6 * bcrypt);
    expect(median(times.argon2)).toBeGreaterThan(0.6 * bcrypt);
  });

  it('the right password still signs in (and the bcrypt hash is replaced)', async () => {
    const response = await request(authn.server).post('/auth/login').send({ email: 'migrated@example.com', password: PASSWORD });
    expect(response.status).toBe(200);
    const user = await authn.datastore.findUser({ email: 'migrated@example.com' });
    expect(user?.password).toMatch(/^\$argon2id\$/);
  });
});
