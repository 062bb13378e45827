import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { loadSigningFixtures, prngBytes, toSecret, type RejectionCase } from '../../../test/fixtures/signing-fixtures.js';
import { loadsCompactJson } from './compact-json.js';
import {
  BadData,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  Signer,
  SignatureExpired,
  TimestampSigner,
  URLSafeSerializer,
  URLSafeTimedSerializer,
} from './index.js';
import { MAX_EXACT_INPUT, zlibCompressIfShorter } from './zlib-deflate.js';

// Tokens made by Python's itsdangerous and Flask-Security-Too, with the signing
// time pinned: they must load here, and what we dump must be the same bytes.
const fixtures = loadSigningFixtures();

function serializerFor(c: { kind: string; secret: Parameters<typeof toSecret>[0]; salt: string; digest?: string; keyDerivation?: string }, now: number) {
  const options = {
    salt: c.salt,
    digest: (c.digest ?? 'sha1') as 'sha1',
    keyDerivation: (c.keyDerivation ?? 'django-concat') as 'django-concat',
  };
  return c.kind === 'timed'
    ? new URLSafeTimedSerializer(toSecret(c.secret), { ...options, now: () => now })
    : new URLSafeSerializer(toSecret(c.secret), options);
}

function payloadJsonLength(c: { valueJson: string }): number {
  return Buffer.byteLength(c.valueJson, 'utf8');
}

describe('itsdangerous fixtures (Python -> here)', () => {
  it('covers what it claims to', () => {
    expect(fixtures.cases.length).toBeGreaterThan(200);
    expect(fixtures.cases.some((c) => c.compressed)).toBe(true);
    expect(new Set(fixtures.cases.map((c) => c.digest))).toEqual(new Set(['sha1', 'sha256', 'sha512']));
    expect(new Set(fixtures.cases.map((c) => c.keyDerivation))).toEqual(new Set(['django-concat', 'concat', 'hmac', 'none']));
  });

  it.each(fixtures.cases.map((c) => [c.name, c] as const))('loads %s', (_name, c) => {
    const serializer = serializerFor(c, c.timestamp ?? 0);
    const loaded = serializer.loads(c.token);
    expect(loaded).toEqual(loadsCompactJson(c.valueJson));
    if ('value' in c) expect(loaded).toEqual(c.value);
    expect(serializer.loadsUnsafe(c.token)).toEqual([true, loaded]);
  });

  it('loads Python payloads with NaN and infinities', () => {
    const c = fixtures.cases.find((x) => x.valueJson === 'NaN')!;
    expect(serializerFor(c, c.timestamp ?? 0).loads(c.token)).toBeNaN();
    const inf = fixtures.cases.find((x) => x.valueJson === 'Infinity')!;
    expect(serializerFor(inf, inf.timestamp ?? 0).loads(inf.token)).toBe(Infinity);
  });

  it('loads a token signed by any key of a rotation list', () => {
    const s = new URLSafeTimedSerializer(toSecret(fixtures.rotation.secret), { salt: fixtures.rotation.salt });
    for (const { signedWith, token } of fixtures.rotation.tokens) {
      expect(s.loads(token)).toEqual(['signed-by', signedWith]);
    }
  });
});

describe('itsdangerous fixtures (here -> Python): dumps is byte-identical', () => {
  const exact = fixtures.cases.filter((c) => c.jsExact && payloadJsonLength(c) <= MAX_EXACT_INPUT);

  it('has exact cases, compressed ones among them', () => {
    expect(exact.length).toBeGreaterThan(180);
    expect(exact.filter((c) => c.compressed).length).toBeGreaterThan(20);
  });

  it.each(exact.map((c) => [c.name, c] as const))('dumps %s', (_name, c) => {
    const value = c.value ?? loadsCompactJson(c.valueJson);
    expect(serializerFor(c, c.timestamp ?? 0).dumps(value)).toBe(c.token);
  });

  it('a payload beyond the exact-deflate size still round-trips through the same JSON', () => {
    const big = fixtures.cases.filter((c) => c.compressed && payloadJsonLength(c) > MAX_EXACT_INPUT);
    expect(big.length).toBeGreaterThan(0);
    for (const c of big) {
      const s = serializerFor(c, c.timestamp ?? 0);
      const token = s.dumps(c.value);
      expect(token.startsWith('.')).toBe(true);
      const payload = token.slice(1, token.indexOf('.', 1));
      expect(inflateSync(Buffer.from(payload, 'base64url')).toString('utf8')).toBe(c.valueJson);
      expect(s.loads(token)).toEqual(c.value);
    }
  });

  it('JS-only number forms that Python cannot reproduce are the documented ones', () => {
    // 1.0, -0.0, ints beyond 2^53 and integer-like object keys are the cases JS cannot hold as Python did.
    const inexact = fixtures.cases.filter((c) => !c.jsExact).map((c) => c.valueJson);
    for (const json of inexact) expect(json).toMatch(/\.0\b|\d{17,}|NaN|Infinity|"\d+":/);
  });
});

describe('raw signers against itsdangerous', () => {
  it.each(fixtures.signers.map((c, i) => [`${c.kind} ${i}`, c] as const))('%s signs and unsigns', (_name, c) => {
    const options = { salt: c.salt ?? undefined, digest: c.digest, keyDerivation: c.keyDerivation };
    if (c.kind === 'timestamp') {
      const signer = new TimestampSigner(toSecret(c.secret), { ...options, now: () => c.timestamp! });
      expect(signer.sign(c.value)).toBe(c.signed);
      expect(signer.unsign(c.signed)).toBe(c.value);
      expect(signer.unsign(c.signed, { returnTimestamp: true })).toEqual([c.value, new Date(c.timestamp! * 1000)]);
    } else {
      const signer = new Signer(toSecret(c.secret), options);
      expect(signer.sign(c.value)).toBe(c.signed);
      expect(signer.unsign(c.signed)).toBe(c.value);
    }
    expect(new Signer(toSecret(c.secret), options).validate(c.signed)).toBe(true);
  });
});

// Where this library is deliberately stricter than itsdangerous.
const STRICTER: Record<string, string> = {
  // Python decodes the signature leniently; here only the canonical text is a valid token.
  'signature with padding': 'BadTimeSignature',
};

describe('rejections: the same error class as itsdangerous', () => {
  const errorClasses = { BadSignature, BadTimeSignature, SignatureExpired, BadPayload } as const;

  it.each(fixtures.rejections.map((c) => [c.name, c] as const))('%s', (_name, c: RejectionCase) => {
    const serializer = serializerFor(c, c.now);
    const load = () =>
      serializer instanceof URLSafeTimedSerializer ? serializer.loads(c.token, { maxAge: c.maxAge }) : serializer.loads(c.token);
    const expected = STRICTER[c.name] ?? c.error;
    if (expected === null) {
      expect(load()).toEqual(loadsCompactJson(c.valueJson!));
    } else {
      let caught: unknown;
      try {
        load();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(BadData);
      expect((caught as Error).constructor).toBe(errorClasses[expected as keyof typeof errorClasses]);
      if (c.dateSigned !== undefined && !STRICTER[c.name]) {
        const dateSigned = (caught as BadTimeSignature).dateSigned;
        expect(dateSigned === undefined ? null : dateSigned.getTime() / 1000).toBe(c.dateSigned);
      }
    }
    const [valid, value] = serializer.loadsUnsafe(c.token);
    if (STRICTER[c.name]) {
      expect(valid).toBe(false);
    } else {
      expect(valid).toBe(c.unsafe.valid);
      expect(value).toEqual(c.unsafe.valueJson === null ? undefined : loadsCompactJson(c.unsafe.valueJson));
    }
  });
});

describe('Flask-Security-Too 5.1.2 tokens', () => {
  const { secretKey, tokens } = fixtures.flaskSecurity;

  it('were made by Flask-Security itself', () => {
    expect(fixtures.flaskSecurityVersion).toBe('5.1.2');
    expect(tokens.map((t) => t.name)).toEqual(['confirm', 'reset', 'login', 'remember', 'tf_validity', 'remember_v5']);
  });

  it.each(tokens.map((t) => [t.name, t] as const))('%s loads, and dumping its value gives the same token', (_name, t) => {
    const s = new URLSafeTimedSerializer(secretKey, { salt: t.salt, now: () => t.timestamp + 10 });
    expect(s.loads(t.token, { maxAge: 60 })).toEqual(t.value);
    expect(s.dumps(t.value)).not.toBe(t.token); // ten seconds later
    const pinned = new URLSafeTimedSerializer(secretKey, { salt: t.salt, now: () => t.timestamp });
    expect(pinned.dumps(t.value)).toBe(t.token);
  });

  it('keeps the float fs_paa of newer auth tokens', () => {
    const t = tokens.find((x) => x.name === 'remember_v5')!;
    const data = new URLSafeTimedSerializer(secretKey, { salt: 'remember-salt' }).loads(t.token) as { fs_paa: number };
    expect(data.fs_paa).toBe(fixtures.pinnedTimestamp + 0.123456);
  });

  it('a token for one purpose does not load as another', () => {
    const confirm = tokens.find((x) => x.name === 'confirm')!;
    const reset = new URLSafeTimedSerializer(secretKey, { salt: 'reset-salt' });
    expect(() => reset.loads(confirm.token)).toThrow(BadTimeSignature);
  });
});

describe('zlib.compress exactness (CPython, stock zlib)', () => {
  it.each(fixtures.zlibCases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const input = prngBytes(c.seed, c.n, c.mode, c.k);
    const compressed = zlibCompressIfShorter(input, input.length);
    if (c.length >= input.length) {
      expect(compressed).toBeUndefined();
    } else {
      expect(compressed).toBeDefined();
      expect(compressed!.length).toBe(c.length);
      expect(createHash('sha256').update(compressed!).digest('hex')).toBe(c.sha256);
      expect(inflateSync(compressed!).equals(input)).toBe(true);
    }
  });
});
