import { readFileSync } from 'node:fs';
import { Fernet, FernetKeyError, InvalidFernetToken, MultiFernet } from './index.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8')) as T;

interface Vector {
  token: string;
  now: string;
  secret: string;
  src?: string;
  iv?: number[];
  ttl_sec?: number;
  desc?: string;
}
/** The spec's own acceptance vectors (https://github.com/fernet/spec), unchanged. */
const spec = fixture<{ generate: Vector[]; verify: Vector[]; invalid: Vector[] }>('fernet-spec.json');
/** Made by Python's cryptography and Flask-Security 5.1.2 (test/fixtures/scripts/make_fernet_fixtures.py). */
const python = fixture<{
  tokens: Array<{ note: string; key: string; plaintextHex: string; timestamp: number | null; token: string }>;
  recoveryCodes: Array<{ note: string; keys: string[]; codes: string[]; stored: string[] }>;
}>('fernet.json');

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** Bytes as Python encodes them: base64url with its padding. */
const padded = (bytes: Buffer) => bytes.toString('base64').replaceAll('+', '-').replaceAll('/', '_');

describe('Fernet: the spec vectors', () => {
  it.each(spec.generate.map((v) => [v.src, v] as const))('generates the token of %j', (_src, v) => {
    expect(new Fernet(v.secret).encrypt(v.src!, { now: seconds(v.now), iv: Buffer.from(v.iv!) })).toBe(v.token);
  });

  it.each(spec.verify.map((v) => [v.src, v] as const))('verifies %j within its TTL', (_src, v) => {
    expect(new Fernet(v.secret).decrypt(v.token, { ttl: v.ttl_sec, now: seconds(v.now) }).toString()).toBe(v.src);
  });

  it.each(spec.invalid.map((v) => [v.desc, v] as const))('refuses: %s', (_desc, v) => {
    expect(() => new Fernet(v.secret).decrypt(v.token, { ttl: v.ttl_sec, now: seconds(v.now) })).toThrow(InvalidFernetToken);
  });
});

describe('Fernet: tokens of Python (cryptography 38, test/fixtures/fernet.json)', () => {
  it.each(python.tokens.map((t) => [t.note, t.timestamp, t] as const))('%s (at %s): decrypts to its plaintext', (_n, _t, t) => {
    expect(new Fernet(t.key).decrypt(t.token).toString('hex')).toBe(t.plaintextHex);
  });

  it('with their timestamps, encrypting again under the same IV gives the bytes Python wrote', () => {
    for (const t of python.tokens.filter((each) => each.timestamp !== null)) {
      const iv = Buffer.from(t.token, 'base64url').subarray(9, 25);
      expect(new Fernet(t.key).encrypt(Buffer.from(t.plaintextHex, 'hex'), { now: t.timestamp!, iv })).toBe(t.token);
    }
  });

  it('a TTL counts from the timestamp in the token, with 60 seconds of clock skew allowed ahead', () => {
    const t = python.tokens.find((each) => each.timestamp === 1_700_000_000)!;
    const fernet = new Fernet(t.key);
    expect(fernet.decrypt(t.token, { ttl: 10, now: 1_700_000_010 })).toBeInstanceOf(Buffer);
    expect(() => fernet.decrypt(t.token, { ttl: 10, now: 1_700_000_011 })).toThrow(InvalidFernetToken);
    expect(fernet.decrypt(t.token, { ttl: 10, now: 1_700_000_000 - 60 })).toBeInstanceOf(Buffer);
    expect(() => fernet.decrypt(t.token, { ttl: 10, now: 1_700_000_000 - 61 })).toThrow(InvalidFernetToken);
  });

  it('MultiFernet: the first key encrypts, any key decrypts; a key of neither is refused', () => {
    const [older, newer] = [python.tokens[0]!.key, python.tokens.at(-1)!.key];
    const multi = new MultiFernet([newer, older]);
    for (const t of python.tokens) expect(multi.decrypt(t.token).toString('hex')).toBe(t.plaintextHex);
    const token = multi.encrypt('rotated');
    expect(new Fernet(newer).decrypt(token).toString()).toBe('rotated');
    expect(() => new Fernet(older).decrypt(token)).toThrow(InvalidFernetToken);
    expect(() => new MultiFernet([Fernet.generateKey()]).decrypt(token)).toThrow(InvalidFernetToken);
  });

  it("Flask-Security's encrypted recovery codes decrypt to the codes it showed, under its keys only", () => {
    for (const row of python.recoveryCodes) {
      const multi = new MultiFernet(row.keys);
      const readable = row.stored.flatMap((stored) => {
        try {
          return [multi.decrypt(stored).toString()];
        } catch (error) {
          if (error instanceof InvalidFernetToken) return [];
          throw error;
        }
      });
      expect({ note: row.note, codes: readable }).toEqual({ note: row.note, codes: row.codes });
    }
  });
});

describe('Fernet: what is refused', () => {
  const key = Fernet.generateKey();
  const fernet = new Fernet(key);
  const token = fernet.encrypt('1a2b-3c4d-5e6f');

  it('generated keys are 32 bytes in padded base64url, as Python generate_key()', () => {
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });

  it.each([
    ['', 'empty'],
    ['not base64 at all!', 'not base64url'],
    [padded(Buffer.alloc(31, 1)), '31 bytes'],
    [padded(Buffer.alloc(33, 1)), '33 bytes'],
    [Buffer.alloc(32, 0xfb).toString('base64'), 'standard base64 ("+", "/") is not url-safe'],
    [padded(Buffer.alloc(32, 1)).replace(/=$/, ''), 'unpadded (Python refuses it too)'],
  ])('a key %j (%s)', (bad) => {
    expect(() => new Fernet(bad)).toThrow(FernetKeyError);
  });

  it('the token itself decrypts (so the refusals below are the changes, not the encoding)', () => {
    expect(fernet.decrypt(padded(Buffer.from(token, 'base64url'))).toString()).toBe('1a2b-3c4d-5e6f');
  });

  it('every flipped bit, a cut or a longer token, and tokens that are no base64url', () => {
    const bytes = Buffer.from(token, 'base64url');
    for (let bit = 0; bit < bytes.length * 8; bit += 7) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => fernet.decrypt(padded(flipped))).toThrow(InvalidFernetToken);
    }
    for (const bad of [token.slice(0, -4), `${token}AAAA`, token.replace(/=+$/, ''), token.replace('A', '+'), '', ' ', 'gAAAAA'])
      expect(() => fernet.decrypt(bad)).toThrow(InvalidFernetToken);
    expect(() => fernet.decrypt(42 as unknown as string)).toThrow(InvalidFernetToken);
  });
});

describe('Fernet: tokens made here, which Python read (test/fixtures/node-fernet.json)', () => {
  // verify_node_fernet.py checked these with cryptography and Flask-Security; they must still read the same here.
  const node = fixture<{ tokens: Array<{ key: string; plaintextHex: string; token: string }> }>('node-fernet.json');
  it('every token decrypts to its plaintext', () => {
    for (const t of node.tokens) expect(new Fernet(t.key).decrypt(t.token).toString('hex')).toBe(t.plaintextHex);
  });
});
