import request from 'supertest';
import { PasswordAuthenticator } from '../../src/authn/login/password-authenticator.service.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { AUTHN_PASSWORD_SALT, type AuthnApp, createAuthnApp } from '../support/authn-app.js';

const PASSWORD = 'correct horse battery';

/** Median answer time in ms of `count` logins made by `send`, one after another. */
async function medianMs(count: number, send: (i: number) => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    expect(await send(i)).toBe(400);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[count >> 1];
}

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
    const login = (email: string) => request(authn.server).post('/auth/login').send({ email, password: 'a wrong password' }).then((r) => r.status);

    const bcrypt = await medianMs(5, () => login('migrated@example.com'));
    const unknown = await medianMs(5, (i) => login(`nobody-${i}@example.com`));
    const argon2 = await medianMs(5, () => login('native@example.com'));

    // The floor was learned from the bcrypt checks, and the others waited for it.
    const floor = authn.app.get(PasswordAuthenticator).timingFloor.floorMs;
    expect(floor).toBeGreaterThan(0.5 * bcrypt);
    expect(unknown).toBeGreaterThan(0.8 * bcrypt);
    expect(argon2).toBeGreaterThan(0.8 * bcrypt);
    expect(unknown).toBeGreaterThanOrEqual(floor);
  });

  it('the right password still signs in (and the bcrypt hash is replaced)', async () => {
    const response = await request(authn.server).post('/auth/login').send({ email: 'migrated@example.com', password: PASSWORD });
    expect(response.status).toBe(200);
    const user = await authn.datastore.findUser({ email: 'migrated@example.com' });
    expect(user?.password).toMatch(/^\$argon2id\$/);
  });
});
