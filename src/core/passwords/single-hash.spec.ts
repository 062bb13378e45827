import { readFileSync } from 'node:fs';
import { PasswordHasher } from './index.js';

/** bcrypt hashes as flask-bones stores them (Flask-Bcrypt: no pre-hash, no normalisation), made by python3-bcrypt. */
const bones = JSON.parse(readFileSync(new URL('../../../test/fixtures/single-hash.json', import.meta.url), 'utf8')) as {
  hashes: Array<{ password: string; normalizedChanged: boolean; rounds: number; hash: string }>;
};

const cheap = { memoryCost: 1024, timeCost: 1 };

describe('PasswordHasher singleHash (PASSWORD_SINGLE_HASH)', () => {
  const single = new PasswordHasher({ passwordSalt: 'pepper of the new app', singleHash: ['bcrypt'], argon2: cheap });
  const all = new PasswordHasher({ passwordSalt: 'pepper of the new app', singleHash: true, argon2: cheap });
  const double = new PasswordHasher({ passwordSalt: 'pepper of the new app', argon2: cheap });

  it.each(bones.hashes.map((entry) => [entry.password, entry.rounds, entry] as const))(
    'a flask-bones hash of %s (cost %s) verifies with singleHash, not without',
    async (password, _rounds, entry) => {
      expect(await single.verify(password, entry.hash)).toBe(true);
      expect(await all.verify(password, entry.hash)).toBe(true);
      expect(await single.verify(`${password}x`, entry.hash)).toBe(false);
      expect(await double.verify(password, entry.hash)).toBe(false);
    },
  );

  it('the fixtures include a password NFKD rewrites (hashed as typed)', () => {
    expect(bones.hashes.some((entry) => entry.normalizedChanged)).toBe(true);
  });

  it('a verified single hash is replaced by argon2id, which keeps the pre-hash when only bcrypt is single', async () => {
    const [entry] = bones.hashes;
    expect(single.needsUpdate(entry.hash)).toBe(true);
    const renewed = await single.hash(entry.password);
    expect(renewed.startsWith('$argon2id$')).toBe(true);
    expect(await double.verify(entry.password, renewed)).toBe(true);
    expect(await new PasswordHasher({ argon2: cheap }).verify(entry.password, renewed)).toBe(false);
  });

  it('singleHash: true makes new hashes without the pre-hash too', async () => {
    const renewed = await all.hash('correct horse battery staple');
    expect(await new PasswordHasher({ argon2: cheap }).verify('correct horse battery staple', renewed)).toBe(true);
    expect(await double.verify('correct horse battery staple', renewed)).toBe(false);
  });

  it('refuses a bad singleHash value', () => {
    expect(() => new PasswordHasher({ singleHash: ['md5'] as never })).toThrow(TypeError);
  });
});
