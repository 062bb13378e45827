import { readFileSync } from 'node:fs';
import { BadData, BadHeader, BadSignature, JWSTimedSerializer, SignatureExpired, type JwsAlgorithm } from './index.js';

interface Case {
  note: string;
  token: string;
  algorithm: string;
  salt: string | null;
  secret: string;
  now: number;
  expect: { ok?: unknown; expired?: unknown; bad?: string };
  dumps?: { value: unknown; expiresIn: number };
}
const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/itsdangerous-jws.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const serializer = (c: Case, expiresIn?: number) =>
  new JWSTimedSerializer(c.secret, { algorithm: c.algorithm as JwsAlgorithm, salt: c.salt ?? undefined, expiresIn });

describe('JWSTimedSerializer against itsdangerous 1.1 (test/fixtures/itsdangerous-jws.json)', () => {
  const loadable = fixture.cases.filter((c) => c.algorithm !== 'none');

  it.each(loadable.map((c) => [c.note, c] as const))('%s', (_note, c) => {
    const load = () => serializer(c).loads(c.token, { now: c.now });
    if (c.expect.ok !== undefined) expect(load()).toEqual(c.expect.ok);
    else if (c.expect.expired !== undefined) {
      expect(load).toThrow(SignatureExpired);
      try {
        load();
      } catch (error) {
        expect((error as SignatureExpired).payload).toEqual(c.expect.expired);
        expect((error as SignatureExpired).dateSigned.getTime()).toBe(1_700_000_000_000);
      }
    } else expect(load).toThrow(BadSignature);
  });

  it.each(fixture.cases.filter((c) => c.dumps).map((c) => [c.note, c] as const))('dumps %s to the same bytes as Python', (_note, c) => {
    expect(serializer(c, c.dumps!.expiresIn).dumps(c.dumps!.value, { now: 1_700_000_000 })).toBe(c.token);
  });

  it('refuses to be configured with alg none or an unknown algorithm', () => {
    for (const algorithm of ['none', 'RS256', 'hs512', '']) {
      expect(() => new JWSTimedSerializer('k', { algorithm: algorithm as JwsAlgorithm })).toThrow(TypeError);
    }
  });

  it('header problems are BadHeader, and every failure is a BadData', () => {
    const c = fixture.cases.find((x) => x.note === 'exp not an IntDate')!;
    expect(() => serializer(c).loads(c.token, { now: c.now })).toThrow(BadHeader);
    const mismatch = fixture.cases.find((x) => x.note.includes('algorithm mismatch'))!;
    expect(() => serializer(mismatch).loads(mismatch.token, { now: mismatch.now })).toThrow(BadData);
  });
});

describe('JWSTimedSerializer', () => {
  it('rotates keys: signs with the newest, verifies with any', () => {
    const old = new JWSTimedSerializer('old key');
    const rotated = new JWSTimedSerializer(['old key', 'new key']);
    expect(rotated.loads(old.dumps({ reset: 1 }))).toEqual({ reset: 1 });
    expect(new JWSTimedSerializer('new key').loads(rotated.dumps({ reset: 1 }))).toEqual({ reset: 1 });
  });

  it('loadsWithHeader gives the verified header', () => {
    const s = new JWSTimedSerializer('key', { expiresIn: 60 });
    const [value, header] = s.loadsWithHeader(s.dumps({ confirm: 3 }, { now: 1000 }), { now: 1000 });
    expect(value).toEqual({ confirm: 3 });
    expect(header).toEqual({ alg: 'HS512', iat: 1000, exp: 1060 });
  });

  it('refuses garbage without throwing anything but BadData', () => {
    const s = new JWSTimedSerializer('key');
    for (const bad of ['', '.', '..', 'a.b.c', 'x'.repeat(70_000), '%%%.%%%.%%%']) expect(() => s.loads(bad)).toThrow(BadData);
  });
});
