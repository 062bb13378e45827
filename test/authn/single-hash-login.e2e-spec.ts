import { readFileSync } from 'node:fs';
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { AUTHN_PASSWORD_SALT, type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

/** flask-bones' stored hashes (Flask-Bcrypt: no pre-hash, the password as typed), made by python3-bcrypt. */
const bones = JSON.parse(readFileSync(new URL('../fixtures/single-hash.json', import.meta.url), 'utf8')) as {
  hashes: Array<{ password: string; normalizedChanged: boolean; rounds: number; hash: string }>;
};

describe.each(TEST_PLATFORMS)('flask-bones bcrypt hashes with passwordSingleHash, on %s', (platform) => {
  let authn: AuthnApp;
  const accounts = bones.hashes.filter((entry) => entry.rounds === 4);

  beforeAll(async () => {
    authn = await createAuthnApp({ options: { passwordSingleHash: ['bcrypt'] } }, platform);
    for (const [index, entry] of accounts.entries()) {
      await authn.datastore.createUser({ email: `bones${index}@example.com`, password: entry.hash, confirmedAt: new Date() });
    }
  });
  afterAll(() => authn?.close());

  it('sign in with the old password (also one NFKD changes), not a wrong one; the hash becomes argon2id with the pre-hash', async () => {
    expect(accounts.some((entry) => entry.normalizedChanged)).toBe(true);
    for (const [index, entry] of accounts.entries()) {
      const email = `bones${index}@example.com`;
      const wrong = await request(authn.server)
        .post('/auth/login')
        .send({ email, password: `${entry.password}?` });
      expect(wrong.status).toBe(400);
      const answer = await request(authn.server).post('/auth/login').send({ email, password: entry.password });
      expect({ email, status: answer.status }).toEqual({ email, status: 200 });
      const stored = (await authn.datastore.findUser({ email }))!.password!;
      expect(stored).toMatch(/^\$argon2id\$/);
      // New hashes keep Flask-Security's pre-hash (only bcrypt is single).
      expect(await new PasswordHasher({ passwordSalt: AUTHN_PASSWORD_SALT }).verify(entry.password, stored)).toBe(true);
      expect((await request(authn.server).post('/auth/login').send({ email, password: entry.password })).status).toBe(200);
    }
  });
});
