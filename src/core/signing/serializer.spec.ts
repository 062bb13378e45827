import { deflateSync } from 'node:zlib';
import {
  BadData,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  MAX_TOKEN_LENGTH,
  Signer,
  SignatureExpired,
  TimestampSigner,
  URLSafeSerializer,
  URLSafeTimedSerializer,
} from './index.js';

const T0 = 1_700_000_000;
const VALUE = ['8b2c6f0e4d9a4a7c9d3b5e1f2a6c8d0e', '$5$rounds=535000$TmZQ8U4IJfPb4Xrr$Fp0sJnk.3bN4Uua4NL6nD7RhHm1D3.9M1rZx0q7Ar.8'];

function clock(start = T0) {
  const c = { now: start, fn: () => c.now };
  return c;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('URLSafeTimedSerializer', () => {
  const time = clock();
  const s = new URLSafeTimedSerializer('secret', { salt: 'confirm-salt', now: time.fn });
  const token = s.dumps(VALUE);
  beforeEach(() => {
    time.now = T0;
  });

  it('makes payload.timestamp.signature and loads it back', () => {
    expect(token.split('.')).toHaveLength(3);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{27}$/);
    expect(s.loads(token)).toEqual(VALUE);
    expect(s.loadsWithTimestamp(token)).toEqual([VALUE, new Date(T0 * 1000)]);
  });

  it('accepts a token up to maxAge seconds old, inclusive', () => {
    time.now = T0 + 3600.999;
    expect(s.loads(token, { maxAge: 3600 })).toEqual(VALUE);
    expect(s.loads(token, { maxAge: null })).toEqual(VALUE);
    expect(s.loads(token)).toEqual(VALUE);
  });

  it('refuses an older token with SignatureExpired carrying the decoded value and the signing date', () => {
    time.now = T0 + 3601;
    const error = thrown(() => s.loads(token, { maxAge: 3600 })) as SignatureExpired;
    expect(error).toBeInstanceOf(SignatureExpired);
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect(error).toBeInstanceOf(BadSignature);
    expect(error).toBeInstanceOf(BadData);
    expect(error.payload).toEqual(VALUE);
    expect(error.dateSigned).toEqual(new Date(T0 * 1000));
    expect(error.message).toBe('Signature age 3601 > 3600 seconds');
    expect(error.name).toBe('SignatureExpired');
  });

  it('refuses a token dated in the future when an age limit applies, as itsdangerous 2.x', () => {
    time.now = T0 - 1;
    const error = thrown(() => s.loads(token, { maxAge: 3600 })) as SignatureExpired;
    expect(error).toBeInstanceOf(SignatureExpired);
    expect(error.message).toBe('Signature age -1 < 0 seconds');
    expect(s.loads(token)).toEqual(VALUE);
  });

  it('checks the signature before the age: a tampered old token is not "expired"', () => {
    time.now = T0 + 10_000;
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BA' : 'AA');
    const error = thrown(() => s.loads(tampered, { maxAge: 60 }));
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect(error).not.toBeInstanceOf(SignatureExpired);
    expect((error as BadTimeSignature).dateSigned).toEqual(new Date(T0 * 1000));
  });

  it('refuses tampering anywhere, a wrong key and a wrong salt with BadTimeSignature', () => {
    const [payload, ts, sig] = token.split('.');
    const swap = (text: string, i: number) => text.slice(0, i) + (text[i] === 'x' ? 'y' : 'x') + text.slice(i + 1);
    for (const bad of [
      `${swap(payload, 3)}.${ts}.${sig}`,
      `${payload}.${swap(ts, 1)}.${sig}`,
      `${payload}.${ts}.${swap(sig, 5)}`,
      `${payload}x.${ts}.${sig}`,
    ]) {
      expect(thrown(() => s.loads(bad))).toBeInstanceOf(BadTimeSignature);
    }
    const otherKey = new URLSafeTimedSerializer('other', { salt: 'confirm-salt', now: time.fn });
    const otherSalt = new URLSafeTimedSerializer('secret', { salt: 'reset-salt', now: time.fn });
    expect(thrown(() => otherKey.loads(token))).toBeInstanceOf(BadTimeSignature);
    expect(thrown(() => otherSalt.loads(token))).toBeInstanceOf(BadTimeSignature);
  });

  it('accepts only the canonical signature text', () => {
    const [payload, ts, sig] = token.split('.');
    const variants = [`${token}=`, `${token} `, `${payload}.${ts}.${sig.replace(/-/g, '+').replace(/_/g, '/')}`];
    // The last character of a 27-character signature carries 2 unused bits.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const i = last.indexOf(sig[26]);
    variants.push(`${payload}.${ts}.${sig.slice(0, 26)}${last[i ^ 1]}`);
    for (const variant of variants) {
      if (variant === token) continue;
      expect(thrown(() => s.loads(variant))).toBeInstanceOf(BadSignature);
    }
  });

  it('loadsUnsafe: [true, value], [false, value] for a bad signature, [false, undefined] for garbage', () => {
    expect(s.loadsUnsafe(token)).toEqual([true, VALUE]);
    const forged = token.slice(0, token.lastIndexOf('.')) + '.' + 'A'.repeat(27);
    expect(s.loadsUnsafe(forged)).toEqual([false, VALUE]);
    expect(s.loadsUnsafe('garbage')).toEqual([false, undefined]);
    expect(s.loadsUnsafe(undefined as unknown as string)).toEqual([false, undefined]);
    time.now = T0 + 1e6; // loadsUnsafe ignores age, as itsdangerous
    expect(s.loadsUnsafe(token)).toEqual([true, VALUE]);
  });

  it('validates maxAge', () => {
    expect(() => s.loads(token, { maxAge: Number.NaN })).toThrow(TypeError);
    expect(() => s.loads(token, { maxAge: '60' as unknown as number })).toThrow(TypeError);
  });
});

describe('key rotation', () => {
  const time = clock();
  const keys = ['key-2019', 'key-2022', 'key-2024'];

  it('signs with the newest (last) key and verifies with any', () => {
    const rotated = new URLSafeTimedSerializer(keys, { now: time.fn });
    const token = rotated.dumps({ a: 1 });
    expect(new URLSafeTimedSerializer('key-2024', { now: time.fn }).loads(token)).toEqual({ a: 1 });
    expect(() => new URLSafeTimedSerializer('key-2022', { now: time.fn }).loads(token)).toThrow(BadSignature);
    for (const key of keys) {
      const old = new URLSafeTimedSerializer(key, { now: time.fn }).dumps(['by', key]);
      expect(rotated.loads(old)).toEqual(['by', key]);
    }
    expect(() => rotated.loads(new URLSafeTimedSerializer('retired', { now: time.fn }).dumps(1))).toThrow(BadSignature);
  });

  it('an expired token signed by an old key is still "expired", not "invalid"', () => {
    const old = new URLSafeTimedSerializer('key-2019', { now: () => T0 }).dumps('x');
    const rotated = new URLSafeTimedSerializer(keys, { now: () => T0 + 100 });
    expect(thrown(() => rotated.loads(old, { maxAge: 10 }))).toBeInstanceOf(SignatureExpired);
  });

  it('requires at least one key', () => {
    expect(() => new URLSafeTimedSerializer([])).toThrow(TypeError);
  });
});

describe('URLSafeSerializer (untimed)', () => {
  const s = new URLSafeSerializer('secret', { salt: 'activation' });

  it('makes payload.signature', () => {
    const token = s.dumps({ id: 5 });
    expect(token.split('.')).toHaveLength(2);
    expect(s.loads(token)).toEqual({ id: 5 });
    expect(s.loadsUnsafe(token)).toEqual([true, { id: 5 }]);
  });

  it('refuses tampering with BadSignature (not the timed subclass)', () => {
    const token = s.dumps({ id: 5 });
    const error = thrown(() => s.loads('x' + token));
    expect((error as Error).constructor).toBe(BadSignature);
    expect(s.loadsUnsafe('x' + token)).toEqual([false, undefined]);
  });
});

describe('hostile tokens: always BadSignature or BadPayload, never another error', () => {
  const time = clock();
  const secret = 'hostile-secret';
  const s = new URLSafeTimedSerializer(secret, { salt: 'login-salt', now: time.fn });
  const untimed = new URLSafeSerializer(secret, { salt: 'login-salt' });
  // Raw signers with the serializers' keys, to sign payloads no serializer would make.
  const signer = new TimestampSigner(secret, { salt: 'login-salt', now: time.fn });
  const plainSigner = new Signer(secret, { salt: 'login-salt' });
  const good = s.dumps(VALUE);

  function expectRefused(token: unknown, kind: typeof BadSignature | typeof BadPayload = BadSignature) {
    for (const serializer of [s, untimed]) {
      const error = thrown(() => serializer.loads(token as string));
      expect(error).toBeInstanceOf(BadData);
      expect(error instanceof BadSignature || error instanceof BadPayload).toBe(true);
      expect(serializer.loadsUnsafe(token as string)[0]).toBe(false);
    }
    expect(thrown(() => s.loads(token as string, { maxAge: 60 }))).toBeInstanceOf(kind);
  }

  it.each([
    ['empty', ''],
    ['no separator', 'abcdef'],
    ['one dot', '.'],
    ['two dots', '..'],
    ['three dots', '...'],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['too many dots', '.'.repeat(1000)],
    ['not base64', '!!!.@@@.###'],
    ['unicode', 'ünï.cödé.😀😀'],
    ['lone surrogates', '\ud800.\udc00.\ud800'],
    ['NUL bytes', '\0.\0.\0'],
    ['whitespace', ' \n\t.\r. '],
    ['signature only', '.' + good.split('.')[2]],
    ['extra part in front', 'x.' + good],
  ])('%s', (_name, token) => expectRefused(token));

  it('refuses non-strings', () => {
    for (const token of [undefined, null, 42, {}, [], ['a.b.c'], { toString: () => good }, Symbol('x'), () => good]) {
      expectRefused(token);
    }
  });

  it('accepts bytes as itsdangerous does', () => {
    expect(s.loads(Buffer.from(good) as unknown as string)).toEqual(VALUE);
  });

  it('refuses tokens over the length cap before verifying them', () => {
    const huge = 'A'.repeat(MAX_TOKEN_LENGTH) + '.' + good;
    expectRefused(huge);
    expect((thrown(() => s.loads(huge)) as Error).message).toBe('Token is too long');
    expect(thrown(() => s.loads('x'.repeat(10 * 1024 * 1024)))).toBeInstanceOf(BadSignature);
  });

  it.each([
    ['not base64', '!!!notbase64'],
    ['base64 of invalid JSON', Buffer.from('{not json').toString('base64url')],
    ['base64 of invalid UTF-8', Buffer.from([0x22, 0xff, 0xfe, 0x22]).toString('base64url')],
    ['empty payload', ''],
    ['bad zlib', '.' + Buffer.from('\x78\x9cnot zlib').toString('base64url')],
    [
      'truncated zlib',
      '.' +
        deflateSync(Buffer.from('["abc"]'.repeat(50)))
          .subarray(0, -6)
          .toString('base64url'),
    ],
    ['zlib of invalid JSON', '.' + deflateSync(Buffer.from('[1,2,'.repeat(50))).toString('base64url')],
    ['deeply nested JSON', Buffer.from('['.repeat(40_000)).toString('base64url')],
  ])('a well-signed payload that is %s is BadPayload', (_name, payload) => {
    for (const [serializer, token] of [
      [s, signer.sign(payload)],
      [untimed, plainSigner.sign(payload)],
    ] as const) {
      expect(thrown(() => serializer.loads(token))).toBeInstanceOf(BadPayload);
      expect(serializer.loadsUnsafe(token)).toEqual([false, undefined]);
    }
  });

  it('refuses a zlib bomb without inflating it', () => {
    const bomb = deflateSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(MAX_TOKEN_LENGTH / 2);
    const token = signer.sign('.' + bomb.toString('base64url'));
    const before = process.memoryUsage().rss;
    const error = thrown(() => s.loads(token)) as BadPayload;
    expect(error).toBeInstanceOf(BadPayload);
    expect((error.originalError as NodeJS.ErrnoException).code).toBe('ERR_BUFFER_TOO_LARGE');
    expect(process.memoryUsage().rss - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('an expired token whose signed payload does not decode is BadPayload', () => {
    const token = signer.sign('!!!');
    time.now = T0 + 100;
    expect(thrown(() => s.loads(token, { maxAge: 10 }))).toBeInstanceOf(BadPayload);
    time.now = T0;
  });

  it('random mutations of a good token are refused as BadData, never anything else', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const alphabet = 'AZaz09-_.=+/!é\0';
    for (let i = 0; i < 3000; i++) {
      const chars = [...good];
      for (let m = 0; m <= rand(3); m++) {
        const at = rand(chars.length + 1);
        const op = rand(3);
        const ch = alphabet[rand(alphabet.length)];
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, ch);
        else chars[at] = ch;
      }
      const mutated = chars.join('');
      if (mutated === good) continue;
      const error = thrown(() => s.loads(mutated, { maxAge: 60 }));
      expect(error).toBeInstanceOf(BadData);
      expect(() => s.loadsUnsafe(mutated)).not.toThrow();
    }
  });
});

describe('options', () => {
  it('refuses unknown digests and key derivations, and separators from the base64 alphabet', () => {
    expect(() => new URLSafeTimedSerializer('k', { digest: 'md5' as 'sha1' })).toThrow(TypeError);
    expect(() => new URLSafeTimedSerializer('k', { keyDerivation: 'pbkdf2' as 'hmac' })).toThrow(TypeError);
    expect(() => new Signer('k', { sep: 'a' })).toThrow(TypeError);
    expect(() => new Signer('k', { sep: '' })).toThrow(TypeError);
    expect(() => new Signer(42 as unknown as string)).toThrow(TypeError);
  });

  it('defaults as itsdangerous: salt "itsdangerous" for serializers, "itsdangerous.Signer" for signers', () => {
    const now = () => T0;
    const explicit = new URLSafeTimedSerializer('k', { salt: 'itsdangerous', digest: 'sha1', keyDerivation: 'django-concat', now });
    expect(new URLSafeTimedSerializer('k', { now }).dumps(1)).toBe(explicit.dumps(1));
    expect(new Signer('k').sign('v')).toBe(new Signer('k', { salt: 'itsdangerous.Signer' }).sign('v'));
  });

  it('a Signer with another separator', () => {
    const signer = new TimestampSigner('k', { sep: '~', now: () => T0 });
    const signed = signer.sign('a.b');
    expect(signed.split('~')).toHaveLength(3);
    expect(signer.unsign(signed)).toBe('a.b');
    expect(signer.validate(signed, { maxAge: 5 })).toBe(true);
    expect(signer.validate(signed + 'x')).toBe(false);
  });
});
