import { BadSignature, JWSTimedSerializer, SignatureExpired, URLSafeSerializer } from '../core/signing/index.js';
import { resolveSecurityOptions } from '../security.options.js';
import { flaskBaseLegacyLinks, flaskBonesLegacyLinks, readLegacyLink, usedUntil } from './legacy-links.js';

const SECRET = 'the old flask app secret key';
const secretKey = 'a module secret key of at least thirty-two characters';

describe('readLegacyLink', () => {
  const jws = new JWSTimedSerializer(SECRET, { expiresIn: 3600 });

  it('reads flask-base payloads for their own purpose only, with the token exp', () => {
    const links = flaskBaseLegacyLinks(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const reset = jws.dumps({ reset: 7 }, { now });
    expect(readLegacyLink(links, 'reset', reset)).toEqual({ expired: false, user: { id: 7 }, expiresAt: new Date((now + 3600) * 1000) });
    expect(readLegacyLink(links, 'confirm', reset)).toBeNull();
    expect(readLegacyLink(links, 'change_email', jws.dumps({ change_email: 7, new_email: 'n@example.com' }))).toMatchObject({
      user: { id: 7 },
      newEmail: 'n@example.com',
    });
    expect(readLegacyLink(links, 'change_email', jws.dumps({ change_email: 7 }))).toBeNull();
    expect(readLegacyLink(links, 'reset', jws.dumps({ reset: '7' }))).toBeNull();
    expect(readLegacyLink(links, 'reset', new JWSTimedSerializer('another key').dumps({ reset: 7 }))).toBeNull();
  });

  it('an expired token still names its user, flagged expired', () => {
    const old = jws.dumps({ confirm: 3 }, { now: 1_700_000_000 });
    expect(readLegacyLink(flaskBaseLegacyLinks(SECRET), 'confirm', old)).toMatchObject({ expired: true, user: { id: 3 } });
  });

  it('flask-bones: a bare id, confirm only, no expiry', () => {
    const token = new URLSafeSerializer(SECRET).dumps(5);
    expect(readLegacyLink(flaskBonesLegacyLinks(SECRET), 'confirm', token)).toEqual({ expired: false, user: { id: 5 }, expiresAt: null });
    expect(readLegacyLink(flaskBonesLegacyLinks(SECRET), 'reset', token)).toBeNull();
  });

  it('a function serializer: its BadData refuses, its SignatureExpired expires, a throwing mapper refuses', () => {
    const serializer = (token: string): unknown => {
      if (token === 'old') throw new SignatureExpired('old', 'jane@example.com', new Date(0));
      if (token !== 'good') throw new BadSignature('no');
      return 'jane@example.com';
    };
    const options = { serializer, confirm: (payload: unknown) => ({ email: payload as string }) };
    expect(readLegacyLink(options, 'confirm', 'good')).toEqual({ expired: false, user: { email: 'jane@example.com' }, expiresAt: null });
    expect(readLegacyLink(options, 'confirm', 'old')).toMatchObject({ expired: true });
    expect(readLegacyLink(options, 'confirm', 'bad')).toBeNull();
    expect(readLegacyLink(options, 'reset', 'good')).toBeNull();
    const throwing = {
      serializer,
      confirm: () => {
        throw new Error('shape');
      },
    };
    expect(readLegacyLink(throwing, 'confirm', 'good')).toBeNull();
    expect(readLegacyLink(undefined, 'confirm', 'good')).toBeNull();
  });

  it('usedUntil: ours for `within`, legacy until its exp or for ever', () => {
    const soon = Date.now() + 60_000;
    expect(usedUntil(undefined, 60).getTime()).toBeGreaterThanOrEqual(soon - 1000);
    const exp = new Date(Date.now() + 7 * 86_400_000);
    expect(usedUntil({ expired: false, user: { id: 1 }, expiresAt: exp }, 60)).toEqual(exp);
    expect(usedUntil({ expired: false, user: { id: 1 }, expiresAt: null }, 60).getUTCFullYear()).toBe(9999);
  });
});

describe('legacyLinks and passwordSingleHash options', () => {
  it('are off by default and validated', () => {
    const resolved = resolveSecurityOptions({ secretKey });
    expect(resolved.legacyLinks).toBeUndefined();
    expect(resolved.passwordSingleHash).toBe(false);
    expect(() => resolveSecurityOptions({ secretKey, legacyLinks: { serializer: 'nope' as never } })).toThrow(/legacyLinks.serializer/);
    expect(() => resolveSecurityOptions({ secretKey, passwordSingleHash: ['md5'] as never })).toThrow(/passwordSingleHash/);
    expect(resolveSecurityOptions({ secretKey, passwordSingleHash: ['bcrypt'] }).passwordSingleHash).toEqual(['bcrypt']);
  });
});
