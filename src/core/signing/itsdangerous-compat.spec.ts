import { inflateSync } from 'node:zlib';
import { loadSigningFixtures, toSecret, type RejectionCase, type SerializerCase } from '../../../test/fixtures/signing-fixtures.js';
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
import { MIN_COMPRESSIBLE_BYTES } from './payload.js';

// Tokens made by Python's itsdangerous and Flask-Security-Too, with the signing
// time pinned: they must load here, and what we dump must be the same bytes.
const fixtures = loadSigningFixtures();

function serializerFor(
  c: { kind: string; secret: Parameters<typeof toSecret>[0]; salt: string; digest?: string; keyDerivation?: string },
  now: number,
) {
  const options = {
    salt: c.salt,
    digest: (c.digest ?? 'sha1') as 'sha1',
    keyDerivation: (c.keyDerivation ?? 'django-concat') as 'django-concat',
  };
  return c.kind === 'timed'
    ? new URLSafeTimedSerializer(toSecret(c.secret), { ...options, now: () => now })
    : new URLSafeSerializer(toSecret(c.secret), options);
}

/** Python's NaN and Infinity literals are not JSON: such payloads are BadPayload here. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The value as JS holds it. */
function valueOf(c: SerializerCase): unknown {
  return 'value' in c ? c.value : JSON.parse(c.valueJson);
}

/** JSON.stringify spells the value as Python did (all but tiny floats and huge ints). */
function sameSpelling(c: SerializerCase): boolean {
  return c.jsExact && JSON.stringify(valueOf(c)) === c.valueJson;
}

describe('itsdangerous fixtures (Python -> here)', () => {
  it('covers what it claims to', () => {
    expect(fixtures.cases.length).toBeGreaterThan(200);
    expect(fixtures.cases.some((c) => c.compressed)).toBe(true);
    expect(new Set(fixtures.cases.map((c) => c.digest))).toEqual(new Set(['sha1', 'sha256', 'sha512']));
    expect(new Set(fixtures.cases.map((c) => c.keyDerivation))).toEqual(new Set(['django-concat', 'concat', 'hmac', 'none']));
  });

  it.each(fixtures.cases.filter((c) => isJson(c.valueJson)).map((c) => [c.name, c] as const))('loads %s', (_name, c) => {
    const serializer = serializerFor(c, c.timestamp ?? 0);
    const loaded = serializer.loads(c.token);
    expect(loaded).toEqual(JSON.parse(c.valueJson));
    if ('value' in c) expect(loaded).toEqual(c.value);
    expect(serializer.loadsUnsafe(c.token)).toEqual([true, loaded]);
  });

  it('refuses Python payloads with NaN and infinities as BadPayload (they are not JSON)', () => {
    const nonJson = fixtures.cases.filter((c) => !isJson(c.valueJson));
    expect(nonJson.map((c) => c.valueJson)).toEqual(expect.arrayContaining(['NaN', 'Infinity']));
    for (const c of nonJson) expect(() => serializerFor(c, c.timestamp ?? 0).loads(c.token)).toThrow(BadPayload);
  });

  it('loads a token signed by any key of a rotation list', () => {
    const s = new URLSafeTimedSerializer(toSecret(fixtures.rotation.secret), { salt: fixtures.rotation.salt });
    for (const { signedWith, token } of fixtures.rotation.tokens) {
      expect(s.loads(token)).toEqual(['signed-by', signedWith]);
    }
  });
});

describe('itsdangerous fixtures (here -> Python): uncompressed dumps are byte-identical', () => {
  const exact = fixtures.cases.filter((c) => !c.compressed && sameSpelling(c));

  it('has exact cases', () => {
    expect(exact.length).toBeGreaterThan(150);
  });

  it.each(exact.map((c) => [c.name, c] as const))('dumps %s', (_name, c) => {
    expect(serializerFor(c, c.timestamp ?? 0).dumps(valueOf(c))).toBe(c.token);
  });

  const compressed = fixtures.cases.filter((c) => c.compressed && sameSpelling(c));
  const jsonBytes = (c: SerializerCase) => Buffer.byteLength(c.valueJson, 'utf8');

  it('payloads Python compressed are compressed here too (from the size we try), to a zlib stream of the same JSON', () => {
    const large = compressed.filter((c) => jsonBytes(c) >= MIN_COMPRESSIBLE_BYTES);
    expect(large.length).toBeGreaterThan(20);
    for (const c of large) {
      const s = serializerFor(c, c.timestamp ?? 0);
      const token = s.dumps(valueOf(c));
      expect(token.startsWith('.')).toBe(true);
      const payload = token.slice(1, token.indexOf('.', 1));
      expect(inflateSync(Buffer.from(payload, 'base64url')).toString('utf8')).toBe(c.valueJson);
      expect(s.loads(token)).toEqual(valueOf(c));
    }
  });

  it('small payloads Python compressed are sent uncompressed here, which Python reads too', () => {
    const small = compressed.filter((c) => jsonBytes(c) < MIN_COMPRESSIBLE_BYTES);
    expect(small.length).toBeGreaterThan(0);
    for (const c of small) {
      const s = serializerFor(c, c.timestamp ?? 0);
      const token = s.dumps(valueOf(c));
      expect(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')).toBe(c.valueJson);
      expect(s.loads(token)).toEqual(valueOf(c));
    }
  });

  it('values JS spells otherwise are the documented ones, and still round-trip', () => {
    // Python writes floats below 1e-4 with a two-digit exponent (1e-05) and ints from 1e21 in full.
    const other = fixtures.cases.filter((c) => c.jsExact && !sameSpelling(c));
    expect(other.length).toBeGreaterThan(0);
    for (const c of other) {
      expect(c.valueJson).toMatch(/\de-0\d|\d{22,}/);
      const s = serializerFor(c, c.timestamp ?? 0);
      expect(s.loads(s.dumps(valueOf(c)))).toEqual(valueOf(c));
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
  // Python's NaN literal is not JSON; JSON.parse refuses it.
  'signed payload has NaN': 'BadPayload',
  'signed payload has NaN (untimed)': 'BadPayload',
};

describe('rejections: the same error class as itsdangerous', () => {
  const errorClasses = { BadSignature, BadTimeSignature, SignatureExpired, BadPayload } as const;

  it.each(fixtures.rejections.map((c) => [c.name, c] as const))('%s', (_name, c: RejectionCase) => {
    const serializer = serializerFor(c, c.now);
    const load = () =>
      serializer instanceof URLSafeTimedSerializer ? serializer.loads(c.token, { maxAge: c.maxAge }) : serializer.loads(c.token);
    const expected = STRICTER[c.name] ?? c.error;
    if (expected === null) {
      expect(load()).toEqual(JSON.parse(c.valueJson!));
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
      expect(value).toEqual(c.unsafe.valueJson === null ? undefined : JSON.parse(c.unsafe.valueJson));
    }
  });
});

describe('Flask-Security-Too 5.1.2 tokens', () => {
  const { secretKey, tokens } = fixtures.flaskSecurity;

  it('were made by Flask-Security itself', () => {
    expect(fixtures.flaskSecurityVersion).toBe('5.1.2');
    expect(tokens.map((t) => t.name)).toEqual(['confirm', 'reset', 'login', 'remember', 'tf_validity', 'remember_v5']);
  });

  it.each(tokens.map((t) => [t.name, t] as const))(
    '%s loads, and dumping its value gives the same token (or, compressed, one that loads)',
    (_name, t) => {
      const s = new URLSafeTimedSerializer(secretKey, { salt: t.salt, now: () => t.timestamp + 10 });
      expect(s.loads(t.token, { maxAge: 60 })).toEqual(t.value);
      expect(s.dumps(t.value)).not.toBe(t.token); // ten seconds later
      const pinned = new URLSafeTimedSerializer(secretKey, { salt: t.salt, now: () => t.timestamp });
      if (t.token.startsWith('.')) expect(s.loads(pinned.dumps(t.value), { maxAge: 60 })).toEqual(t.value);
      else expect(pinned.dumps(t.value)).toBe(t.token);
    },
  );

  it('has uncompressed Flask tokens to compare byte for byte', () => {
    expect(tokens.filter((t) => !t.token.startsWith('.')).length).toBeGreaterThanOrEqual(4);
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
