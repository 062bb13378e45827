import { readFileSync } from 'node:fs';
import { HASH_DATA_DEFAULT_ROUNDS, hashData, verifyHashDataAsync } from './index.js';

interface HashDataFixture {
  value: string;
  hash: string;
}
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8')) as { hashData: HashDataFixture[] };
// Flask-Security's hash_data (sha256_crypt, 535000 rounds) and passlib's hex_md5.
const flask = load('passwords.json').hashData;
// Made here; verify_node_passwords.py checks them with Flask-Security's verify_hash.
const node = load('node-passwords.json').hashData;

describe('hashData / verifyHashData (Flask-Security hash_data / verify_hash)', () => {
  it('makes $5$ hashes with explicit rounds and a 16-character salt that verify', async () => {
    const hash = hashData('user@example.com');
    expect(hash).toMatch(new RegExp(`^\\$5\\$rounds=${HASH_DATA_DEFAULT_ROUNDS}\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{43}$`));
    expect(await verifyHashDataAsync(hash, 'user@example.com')).toBe(true);
    expect(await verifyHashDataAsync(hash, 'User@example.com')).toBe(false);
    expect(hashData('user@example.com')).not.toBe(hash);
    expect(await verifyHashDataAsync(hashData('Ünïcode 🔑', 1000), 'Ünïcode 🔑')).toBe(true);
  });

  it.each(flask.map((f) => [f.hash.slice(0, 20), f] as const))('verifies Flask-Security hash_data %s', async (_, f) => {
    expect(await verifyHashDataAsync(f.hash, f.value)).toBe(true);
    expect(await verifyHashDataAsync(f.hash, f.value + 'x')).toBe(false);
  });

  it.each(node.map((f) => [f.hash.slice(0, 20), f] as const))('verifies node-made %s (Python checks it too)', async (_, f) => {
    expect(await verifyHashDataAsync(f.hash, f.value)).toBe(true);
  });

  it('verifies 535000 rounds off the event loop', async () => {
    const f = flask.find((h) => h.hash.startsWith('$5$rounds=535000$'))!;
    // Count timer ticks while it runs: a computation on this thread would allow none.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await expect(verifyHashDataAsync(f.hash, f.value)).resolves.toBe(true);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
    await expect(verifyHashDataAsync(f.hash, f.value + 'x')).resolves.toBe(false);
    await expect(verifyHashDataAsync('junk', f.value)).resolves.toBe(false);
  });

  it('accepts hex_md5 in either case', async () => {
    const md5 = flask.find((f) => /^[0-9a-f]{32}$/.test(f.hash))!;
    expect(await verifyHashDataAsync(md5.hash.toUpperCase(), md5.value)).toBe(true);
    expect(await verifyHashDataAsync(md5.hash.toUpperCase(), md5.value + 'x')).toBe(false);
    // The asynchronous path takes hex_md5 as well, and still compares.
    await expect(verifyHashDataAsync(md5.hash.toUpperCase(), md5.value)).resolves.toBe(true);
    await expect(verifyHashDataAsync(md5.hash, md5.value + 'x')).resolves.toBe(false);
  });

  it('never throws, false for junk', async () => {
    const good = hashData('a@b.c', 1000);
    const junk: unknown[] = [
      '',
      null,
      undefined,
      42,
      '$5$',
      good.slice(0, -1),
      good.replace('$5$', '$6$'),
      good.replace('rounds=1000', 'rounds=999'),
      good.replace('rounds=1000', 'rounds=1000001'),
      good.replace('rounds=1000', 'rounds=999999999'),
      '$6$rounds=5000$salt$' + 'a'.repeat(86),
      'z'.repeat(32),
      'a'.repeat(31),
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      'x'.repeat(1_000_000),
    ];
    for (const hashed of junk) expect(await verifyHashDataAsync(hashed, 'a@b.c')).toBe(false);
    expect(await verifyHashDataAsync(good, null)).toBe(false);
    expect(await verifyHashDataAsync(good, 'a@b.c\0')).toBe(false);
    expect(await verifyHashDataAsync(good, 'a'.repeat(1_000_000))).toBe(false);
  });

  it('refuses values and rounds passlib would not take', () => {
    expect(() => hashData('a\0b')).toThrow(RangeError);
    expect(() => hashData('x', 999)).toThrow(RangeError);
    expect(() => hashData('x', 1.5)).toThrow(RangeError);
  });
});
