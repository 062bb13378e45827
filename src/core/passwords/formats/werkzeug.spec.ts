import { readFileSync } from 'node:fs';
import { PasswordHasher } from '../password-hasher.js';
import { werkzeugFormat } from './werkzeug.js';

interface WerkzeugHash {
  method: string;
  password: string;
  hash: string;
}
// Made by Werkzeug 3.1's generate_password_hash (test/fixtures/scripts/make_werkzeug_fixtures.py).
const fixtures = (
  JSON.parse(readFileSync(new URL('../../../../test/fixtures/werkzeug.json', import.meta.url), 'utf8')) as {
    werkzeugVersion: string;
    hashes: WerkzeugHash[];
  }
).hashes;

describe("Werkzeug's pbkdf2: and scrypt: hashes (Flask-Login apps)", () => {
  it('covers pbkdf2 with three digests and scrypt with several costs', () => {
    const methods = new Set(fixtures.map((f) => f.hash.slice(0, f.hash.indexOf('$'))));
    expect(methods).toEqual(
      new Set([
        'pbkdf2:sha256:1000',
        'pbkdf2:sha512:1000',
        'pbkdf2:sha1:1000',
        'pbkdf2:sha256:1000000',
        'scrypt:32768:8:1',
        'scrypt:1024:8:1',
        'scrypt:16384:8:2',
      ]),
    );
  });

  it.each(fixtures.map((f) => [f.hash.slice(0, 24), f] as const))('verifies %s', async (_name, f) => {
    expect(await werkzeugFormat.verify(f.password, f.hash)).toBe(true);
    expect(await werkzeugFormat.verify(f.password + 'x', f.hash)).toBe(false);
  });

  it('through PasswordHasher: the password as typed (no pre-hash, no NFKD), and always rehashed', async () => {
    const hasher = new PasswordHasher({ passwordSalt: 'a pepper Werkzeug never used' });
    const ligature = fixtures.find((f) => f.password.startsWith('ﬁ'))!; // NFKD would turn "ﬁ" into "fi"
    expect(await hasher.verify(ligature.password, ligature.hash)).toBe(true);
    expect(await hasher.verify(ligature.password.normalize('NFKD'), ligature.hash)).toBe(false);
    expect(hasher.needsUpdate(ligature.hash)).toBe(true);
  });

  it('false, never a throw, for junk and for costs beyond the limits', async () => {
    const good = fixtures.find((f) => f.hash.startsWith('scrypt:32768'))!.hash;
    const [, salt, hex] = good.split('$');
    const junk = [
      'pbkdf2:sha256$salt$' + 'ab'.repeat(32), // no iterations
      'pbkdf2:md5:1000$salt$' + 'ab'.repeat(16),
      'pbkdf2:sha256:1000$salt$' + 'ab'.repeat(31), // short
      'pbkdf2:sha256:99999999999$salt$' + 'ab'.repeat(32),
      `scrypt:1000:8:1$${salt}$${hex}`, // N not a power of two
      `scrypt:1048576:8:1$${salt}$${hex}`, // 1 GiB
      `scrypt:32768:8:1$${salt}$${hex.slice(2)}`,
      `scrypt:32768:8:1$$${hex}`,
      'scrypt:',
      'pbkdf2:',
    ];
    for (const hash of junk) expect(await werkzeugFormat.verify('correct horse battery staple', hash)).toBe(false);
  });
});
