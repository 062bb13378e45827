import { readFileSync } from 'node:fs';
import { hmacPrehash, MAX_PASSWORD_INPUT_LENGTH, PasswordHasher } from './index.js';

interface FlaskHash {
  scheme: string;
  password: string;
  normalized: string;
  normalizedChanged: boolean;
  passwordSalt: string | null;
  normalizeForm: 'NFKD' | null;
  hash: string;
  source: string;
}
interface NodeHash {
  scheme: 'argon2' | 'bcrypt';
  password: string;
  passwordSalt: string | null;
  hash: string;
}

// Made by test/fixtures/scripts/make_password_fixtures.py with Flask-Security 5.1.2.
const flask = JSON.parse(readFileSync(new URL('../../../test/fixtures/passwords.json', import.meta.url), 'utf8')) as {
  passwordSalt: string;
  hashes: FlaskHash[];
  prehash: Array<{ password: string; passwordSalt: string; hmac: string }>;
};
// Made by test/fixtures/scripts/make-node-passwords.mjs; verify_node_passwords.py checks them in Python.
const node = JSON.parse(readFileSync(new URL('../../../test/fixtures/node-passwords.json', import.meta.url), 'utf8')) as {
  hashes: NodeHash[];
};

const SALT = flask.passwordSalt;
const hasher = new PasswordHasher({ passwordSalt: SALT });
const saltless = new PasswordHasher();
const hasherFor = (salt: string | null, normalizeForm: 'NFKD' | null = 'NFKD') =>
  salt === null
    ? saltless
    : normalizeForm === null
      ? new PasswordHasher({ passwordSalt: salt, normalizeForm })
      : new PasswordHasher({ passwordSalt: salt });
// Cheap parameters for tests that hash.
const fast = new PasswordHasher({ passwordSalt: SALT, argon2: { memoryCost: 1024, timeCost: 1 } });
const fastBcrypt = new PasswordHasher({ passwordSalt: SALT, scheme: 'bcrypt', bcryptRounds: 4 });

const label = (f: { scheme: string; hash: string; passwordSalt: string | null; normalizeForm?: string | null }) =>
  `${f.scheme} ${f.hash.slice(0, f.hash.lastIndexOf('$'))}${f.passwordSalt === null ? ' (no salt)' : ''}${f.normalizeForm === null ? ' (not normalised)' : ''}`;

describe('PasswordHasher: hashes Flask-Security stored', () => {
  it('covers every scheme, typed passwords that NFKD changes, and salt-less single hashing', () => {
    const schemes = new Set(flask.hashes.map((f) => f.scheme));
    expect([...schemes].sort()).toEqual(['argon2', 'bcrypt', 'pbkdf2_sha256', 'pbkdf2_sha512', 'sha256_crypt', 'sha512_crypt']);
    expect(flask.hashes.some((f) => f.normalizedChanged)).toBe(true);
    expect(flask.hashes.some((f) => f.passwordSalt === null)).toBe(true);
    for (const prefix of [
      '$argon2id$',
      '$argon2i$',
      '$argon2d$',
      '$2a$',
      '$2b$',
      '$2y$',
      '$pbkdf2-sha256$',
      '$pbkdf2-sha512$',
      '$5$rounds=',
      '$6$rounds=',
    ]) {
      expect(flask.hashes.some((f) => f.hash.startsWith(prefix))).toBe(true);
    }
    expect(flask.hashes.some((f) => /^\$[56]\$[^r]/.test(f.hash))).toBe(true); // implicit 5000 rounds
  });

  // SHA-crypt at Flask-Security's default rounds (535,000 / 656,000) costs about a second
  // each here: the wrong password is tried on the first hash of each such scheme only.
  const slowShaCrypt = (f: FlaskHash) => /^\$[56]\$rounds=[0-9]{6,}\$/.test(f.hash);
  const tryWrong = (f: FlaskHash) => !slowShaCrypt(f) || flask.hashes.find((g) => g.scheme === f.scheme && slowShaCrypt(g)) === f;

  it.each(flask.hashes.map((f) => [label(f), f] as const))('%s verifies the typed password, not a wrong one', async (_, f) => {
    const subject = hasherFor(f.passwordSalt, f.normalizeForm);
    expect(await subject.verify(f.password, f.hash)).toBe(true);
    if (tryWrong(f)) expect(await subject.verify(f.password + ' ', f.hash)).toBe(false);
  });

  it('treats the typed password and its NFKD form as the same password', async () => {
    const f = flask.hashes.find((h) => h.normalizedChanged && h.scheme === 'pbkdf2_sha256')!;
    expect(await hasher.verify(f.normalized, f.hash)).toBe(true);
    expect(await hasher.verify(f.password.normalize('NFC'), f.hash)).toBe(true);
  });

  it('needs the right salt: a double hash does not verify salt-less or with another salt, nor a single hash with a salt', async () => {
    const double = flask.hashes.find((f) => f.scheme === 'pbkdf2_sha256' && f.passwordSalt !== null)!;
    expect(await saltless.verify(double.password, double.hash)).toBe(false);
    expect(await new PasswordHasher({ passwordSalt: SALT + 'x' }).verify(double.password, double.hash)).toBe(false);
    const single = flask.hashes.find((f) => f.scheme === 'pbkdf2_sha512' && f.passwordSalt === null)!;
    expect(await hasher.verify(single.password, single.hash)).toBe(false);
  });

  it('needs the same normalisation: hashes of un-normalised passwords verify only with normalizeForm null', async () => {
    const raw = flask.hashes.find((f) => f.normalizeForm === null)!;
    expect(raw.password).not.toBe(raw.password.normalize('NFKD'));
    expect(await hasher.verify(raw.password, raw.hash)).toBe(false);
    const normalised = flask.hashes.find((f) => f.normalizeForm !== null && f.normalizedChanged && f.scheme === 'pbkdf2_sha256')!;
    expect(await hasherFor(SALT, null).verify(normalised.password, normalised.hash)).toBe(false);
  });

  it('computes the HMAC pre-hash exactly as get_hmac (88 characters)', () => {
    for (const p of flask.prehash) {
      const hmac = hmacPrehash(p.passwordSalt, hasher.normalize(p.password));
      expect(hmac).toBe(p.hmac);
      expect(hmac).toHaveLength(88);
    }
  });
});

describe('PasswordHasher: hashes made here', () => {
  it('hashes argon2id by default, with the configured parameters', async () => {
    const hash = await fast.hash('pässwörd-ℌ');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await fast.verify('pässwörd-ℌ', hash)).toBe(true);
    expect(await fast.verify('pa\u0308sswo\u0308rd-H', hash)).toBe(true); // its NFKD form
    expect(await fast.verify('pässwörd-H!', hash)).toBe(false);
    expect(await hasher.verify('pässwörd-ℌ', hash)).toBe(true); // parameters live in the hash
  });

  it('hashes $2b$ bcrypt when configured', async () => {
    const hash = await fastBcrypt.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery stapl', hash)).toBe(false);
  });

  it('gives a new salt every time', async () => {
    expect(await fast.hash('same password')).not.toBe(await fast.hash('same password'));
  });

  it.each(node.hashes.map((f) => [label(f), f] as const))('%s from node-passwords.json verifies (Python checks it too)', async (_, f) => {
    const subject = hasherFor(f.passwordSalt);
    expect(await subject.verify(f.password, f.hash)).toBe(true);
    expect(await subject.verify(f.password + 'x', f.hash)).toBe(false);
  });
});

describe('PasswordHasher: junk never verifies and never throws', () => {
  const good = flask.hashes.find((f) => f.scheme === 'pbkdf2_sha256' && f.passwordSalt !== null)!;
  const bcryptHash = flask.hashes.find((f) => f.hash.startsWith('$2b$'))!.hash;
  const junk: Array<[string, unknown]> = [
    ['empty', ''],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an object', { hash: good.hash }],
    ['argon2id garbage', '$argon2id$garbage'],
    ['argon2id without a hash', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ'],
    ['argon2id with absurd memory', '$argon2id$v=19$m=4294967295,t=2,p=1$c2FsdHNhbHRzYWx0$' + 'A'.repeat(43)],
    ['argon2id with absurd passes', '$argon2id$v=19$m=65536,t=100000,p=1$c2FsdHNhbHRzYWx0$' + 'A'.repeat(43)],
    ['truncated bcrypt', bcryptHash.slice(0, 40)],
    ['bcrypt with a bad character', bcryptHash.slice(0, -1) + '!'],
    ['bcrypt cost 31', bcryptHash.replace('$12$', '$31$')],
    ['bcrypt cost 03', bcryptHash.replace('$12$', '$03$')],
    ['bcrypt $2x$', bcryptHash.replace('$2b$', '$2x$')],
    ['pbkdf2 without checksum', good.hash.slice(0, good.hash.lastIndexOf('$') + 1)],
    ['pbkdf2 with a short checksum', good.hash.slice(0, -4)],
    ['pbkdf2 with a billion iterations', good.hash.replace('$29000$', '$1000000000$')],
    ['pbkdf2 with zero-padded iterations', good.hash.replace('$29000$', '$029000$')],
    ['pbkdf2 with non-base64', good.hash.replace(/\$[^$]+$/, '$*'.repeat(22))],
    ['sha-crypt with a billion rounds', '$5$rounds=999999999$salt$' + 'a'.repeat(43)],
    ['sha-crypt with 10,000,001 rounds', '$6$rounds=10000001$salt$' + 'a'.repeat(86)],
    ['unknown prefix', '$1$saltsalt$abcdefghijklmnopqrstuv'],
    ['plaintext', good.password],
    ['scrypt', '$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA'],
    ['huge', '$argon2id$v=19$m=19456,t=2,p=1$' + 'A'.repeat(2_000_000)],
    ['huge bcrypt-looking', '$2b$12$' + 'a'.repeat(1_000_000)],
  ];

  it.each(junk)('%s -> false', async (_, storedHash) => {
    await expect(hasher.verify(good.password, storedHash as string)).resolves.toBe(false);
    await expect(saltless.verify(good.password, storedHash as string)).resolves.toBe(false);
  });

  it('refuses non-string and oversized passwords without hashing them', async () => {
    await expect(hasher.verify(null as unknown as string, good.hash)).resolves.toBe(false);
    await expect(hasher.verify(12345678 as unknown as string, good.hash)).resolves.toBe(false);
    const huge = 'a'.repeat(1024 * 1024);
    const started = Date.now();
    await expect(hasher.verify(huge, good.hash)).resolves.toBe(false);
    await expect(saltless.verify(huge, '$5$rounds=535000$salt$' + 'a'.repeat(43))).resolves.toBe(false);
    expect(hasher.validate(huge)).toEqual(['Password must be at most 128 characters']);
    await expect(hasher.hash(huge)).rejects.toThrow(RangeError);
    expect(Date.now() - started).toBeLessThan(1000);
    // Up to the input limit a password is still checked.
    expect(MAX_PASSWORD_INPUT_LENGTH).toBeGreaterThanOrEqual(4 * 128);
  });
});

describe('PasswordHasher.needsUpdate', () => {
  const argon2Default = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$' + 'A'.repeat(43);

  it('is false for the configured scheme at current or stronger parameters', () => {
    expect(hasher.needsUpdate(argon2Default)).toBe(false);
    expect(hasher.needsUpdate(argon2Default.replace('m=19456,t=2,p=1', 'm=65536,t=3,p=4'))).toBe(false);
    // Flask-Security's own argon2 parameters (102400 KiB, 10 passes, 8 lanes) are stronger.
    expect(hasher.needsUpdate(flask.hashes.find((f) => f.hash.startsWith('$argon2id$'))!.hash)).toBe(false);
  });

  it('is true for argon2 with weaker parameters or another variant', () => {
    expect(hasher.needsUpdate(argon2Default.replace('m=19456', 'm=8192'))).toBe(true);
    expect(hasher.needsUpdate(argon2Default.replace('t=2', 't=1'))).toBe(true);
    expect(hasher.needsUpdate(argon2Default.replace('$argon2id$', '$argon2i$'))).toBe(true);
    expect(hasher.needsUpdate(argon2Default.replace('v=19', 'v=16'))).toBe(true);
    expect(new PasswordHasher({ argon2: { memoryCost: 65536 } }).needsUpdate(argon2Default)).toBe(true);
  });

  it('is true for every other scheme while argon2 is the default', () => {
    for (const f of flask.hashes.filter((h) => !h.hash.startsWith('$argon2id$')))
      expect({ hash: f.hash, update: hasher.needsUpdate(f.hash) }).toEqual({ hash: f.hash, update: true });
  });

  it('with bcrypt configured: false for $2b$ at the configured cost, true below it, for $2a$ and for argon2', () => {
    const bcrypt12 = new PasswordHasher({ passwordSalt: SALT, scheme: 'bcrypt' });
    const b12 = flask.hashes.find((f) => f.hash.startsWith('$2b$12$'))!.hash;
    expect(bcrypt12.needsUpdate(b12)).toBe(false);
    expect(bcrypt12.needsUpdate(b12.replace('$2b$', '$2y$'))).toBe(false);
    expect(bcrypt12.needsUpdate(b12.replace('$12$', '$10$'))).toBe(true);
    expect(bcrypt12.needsUpdate(b12.replace('$2b$', '$2a$'))).toBe(true);
    expect(bcrypt12.needsUpdate(argon2Default)).toBe(true);
  });

  it('is true for junk', () => {
    for (const junk of ['', null, undefined, '$argon2id$garbage', 'plain']) expect(hasher.needsUpdate(junk)).toBe(true);
  });
});

describe('PasswordHasher.validate and normalize', () => {
  it('counts length after NFKD normalisation, in code points', () => {
    expect(hasher.validate('1234567')).toEqual(['Password must be at least 8 characters']);
    expect(hasher.validate('12345678')).toEqual([]);
    // U+FB01 (the "fi" ligature) becomes two letters: 7 typed characters, 8 after NFKD.
    expect(hasher.validate('\ufb01abcde')).toEqual(['Password must be at least 8 characters']);
    expect(hasher.validate('\ufb01abcdef')).toEqual([]);
    // Precomposed letters decompose: 'é' is two code points after NFKD.
    expect(hasher.validate('ééé\u00e9')).toEqual([]);
    // Emoji count once each (Python's len), though JavaScript sees two units.
    expect(hasher.validate('🔑🔑🔑🔑🔑🔑🔑')).toEqual(['Password must be at least 8 characters']);
    expect(hasher.validate('🔑🔑🔑🔑🔑🔑🔑🔑')).toEqual([]);
    expect(hasher.validate('a'.repeat(128))).toEqual([]);
    expect(hasher.validate('a'.repeat(129))).toEqual(['Password must be at most 128 characters']);
    // 64 typed characters that NFKD turns into 128, then 130.
    expect(hasher.validate('\ufb01'.repeat(64))).toEqual([]);
    expect(hasher.validate('\ufb01'.repeat(65))).toEqual(['Password must be at most 128 characters']);
    expect(hasher.validate('')).toEqual(['Password not provided']);
    expect(hasher.validate(undefined as unknown as string)).toEqual(['Password not provided']);
  });

  it('takes configured bounds', () => {
    const strict = new PasswordHasher({ lengthMin: 12, lengthMax: 16 });
    expect(strict.validate('a'.repeat(11))).toEqual(['Password must be at least 12 characters']);
    expect(strict.validate('a'.repeat(12))).toEqual([]);
    expect(strict.validate('a'.repeat(17))).toEqual(['Password must be at most 16 characters']);
  });

  it('normalises to NFKD, or as configured', () => {
    expect(hasher.normalize('pässwörd-ℌ')).toBe('pa\u0308sswo\u0308rd-H');
    expect(hasher.normalize('ＰＡＳＳ')).toBe('PASS');
    expect(new PasswordHasher({ normalizeForm: null }).normalize('pässwörd-ℌ')).toBe('pässwörd-ℌ');
    expect(new PasswordHasher({ normalizeForm: 'NFC' }).normalize('pa\u0308ss')).toBe('päss');
    // Length is counted after the configured normalisation: 'ﬁ' stays one character without it.
    expect(new PasswordHasher({ normalizeForm: null }).validate('\ufb01abcdef')).toEqual(['Password must be at least 8 characters']);
  });

  it('refuses bad options with a clear message', () => {
    expect(() => new PasswordHasher({ scheme: 'md5' as 'argon2' })).toThrow(/scheme must be 'argon2' or 'bcrypt'/);
    expect(() => new PasswordHasher({ bcryptRounds: 3 })).toThrow(/bcryptRounds/);
    expect(() => new PasswordHasher({ bcryptRounds: 20 })).toThrow(/bcryptRounds/);
    expect(() => new PasswordHasher({ argon2: { timeCost: 0 } })).toThrow(/argon2.timeCost/);
    expect(() => new PasswordHasher({ lengthMin: 10, lengthMax: 9 })).toThrow(/lengthMax/);
    expect(() => new PasswordHasher({ normalizeForm: 'NFX' as 'NFKD' })).toThrow(/normalizeForm/);
  });
});
