import { readFileSync } from 'node:fs';
import { encodeHash64 } from './hash64.js';
import { parseShaCrypt, shaCryptChecksum, shaCryptChecksumAsync, shaCryptFormat } from './sha-crypt.js';

interface Vector {
  secret: string;
  hash: string;
}
// Raw passlib sha256_crypt / sha512_crypt hashes: secrets of 0 to 200 bytes, salts of 0, 1 and 16 characters.
const vectors = (
  JSON.parse(readFileSync(new URL('../../../../test/fixtures/passwords.json', import.meta.url), 'utf8')) as {
    shaCryptVectors: Vector[];
  }
).shaCryptVectors;

function compute(hash: string, secret: string): string | null {
  const parsed = parseShaCrypt(hash);
  return parsed && shaCryptChecksum(parsed.id, Buffer.from(secret, 'utf8'), parsed.salt, parsed.rounds);
}

describe('SHA-crypt', () => {
  it("reproduces the test vectors of Drepper's specification", () => {
    const spec = [
      ['$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'Hello world!'],
      ['$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA', 'Hello world!'],
      ['$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1', 'Hello world!'],
    ];
    for (const [hash, secret] of spec) expect(compute(hash, secret)).toBe(parseShaCrypt(hash)!.checksum);
  });

  it(`reproduces ${vectors.length} passlib hashes across block boundaries`, () => {
    for (const { hash, secret } of vectors)
      expect({ hash, computed: compute(hash, secret) }).toEqual({ hash, computed: parseShaCrypt(hash)!.checksum });
  });

  it('gives the same checksum on the worker thread', async () => {
    const { hash, secret } = vectors[vectors.length - 1];
    const parsed = parseShaCrypt(hash)!;
    expect(await shaCryptChecksumAsync(parsed.id, Buffer.from(secret), parsed.salt, parsed.rounds)).toBe(parsed.checksum);
    expect(await shaCryptChecksumAsync('5', Buffer.from('x'), 'salt', 45_000)).toBe(
      shaCryptChecksum('5', Buffer.from('x'), 'salt', 45_000),
    );
    // Several at once share the small pool and each gets its own answer.
    const secrets = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff'];
    const offThread = await Promise.all(secrets.map((s) => shaCryptChecksumAsync('6', Buffer.from(s), 'pool', 2000)));
    expect(offThread).toEqual(secrets.map((s) => shaCryptChecksum('6', Buffer.from(s), 'pool', 2000)));
  });

  it("a worker keeps the process alive only while it computes (the pool is unref'd when idle)", async () => {
    const keepingAlive = () => process.getActiveResourcesInfo().filter((kind) => kind === 'MessagePort').length;
    await shaCryptChecksumAsync('5', Buffer.from('warm'), 'salt', 1000); // the pool's first worker exists now
    await new Promise((resolve) => setImmediate(resolve));
    const idle = keepingAlive();
    const running = shaCryptChecksumAsync('5', Buffer.from('busy'), 'salt', 20_000);
    expect(keepingAlive()).toBeGreaterThan(idle);
    await running;
    await new Promise((resolve) => setImmediate(resolve));
    expect(keepingAlive()).toBe(idle);
  });

  it('reads implicit and explicit rounds and refuses what passlib refuses', () => {
    expect(parseShaCrypt('$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5')).toMatchObject({
      rounds: 5000,
      explicitRounds: false,
    });
    const checksum = '5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5';
    expect(parseShaCrypt(`$5$rounds=999$salt$${checksum}`)).toBeNull(); // below the minimum
    expect(parseShaCrypt(`$5$rounds=05000$salt$${checksum}`)).toBeNull(); // zero-padded
    expect(parseShaCrypt(`$5$rounds=10000001$salt$${checksum}`)).toBeNull(); // beyond the work limit
    expect(parseShaCrypt(`$5$rounds=999999999$salt$${checksum}`)).toBeNull();
    expect(parseShaCrypt(`$5$saltstringsaltstr$${checksum}`)).toBeNull(); // salt over 16
    expect(parseShaCrypt(`$5$salt$${checksum}x`)).toBeNull(); // checksum length
    expect(parseShaCrypt(`$6$salt$${checksum}`)).toBeNull(); // SHA-256 checksum in a $6$ hash
    expect(parseShaCrypt(`$5$sa:t$${checksum}`)).toBeNull();
  });

  it('verifies through the password format, false for junk', async () => {
    const { hash, secret } = vectors[5];
    expect(await shaCryptFormat.verify(secret, hash)).toBe(true);
    expect(await shaCryptFormat.verify(secret + '!', hash)).toBe(false);
    expect(await shaCryptFormat.verify(secret, hash.slice(0, -1))).toBe(false);
    expect(await shaCryptFormat.verify(secret, '$5$rounds=2000000000$x$' + 'a'.repeat(43))).toBe(false);
  });

  it('encodes hash64 least significant bits first', () => {
    expect(encodeHash64(Uint8Array.from([0, 0, 0]), [0, 1, 2])).toBe('....');
    expect(encodeHash64(Uint8Array.from([1, 0, 0]), [0, 1, 2])).toBe('/...');
    expect(encodeHash64(Uint8Array.from([0xff]), [0])).toBe('z1');
  });
});
