import { resolveSecurityOptions, SecurityOptionsError } from './security.options.js';

const secretKey = 'x'.repeat(32);

describe('resolveSecurityOptions', () => {
  it("applies Flask-Security's defaults", () => {
    const options = resolveSecurityOptions({ secretKey });
    expect(options.salts.confirm).toBe('confirm-salt');
    expect(options.salts.reset).toBe('reset-salt');
    expect(options.salts.login).toBe('login-salt');
    expect(options.salts.remember).toBe('remember-salt');
    // Flask-Security 5.9's (5.1.2 had 5 days for both).
    expect(options.confirmEmailWithin).toBe(2 * 86400);
    expect(options.resetPasswordWithin).toBe(86400);
    expect(options.loginWithin).toBe(86400);
    expect(options.tokenMaxAge).toBe(15 * 60);
    expect(options.refreshTokens).toEqual({
      enabled: false,
      maxAge: 90 * 86400,
      maxIdle: 7 * 86400,
      cleanupExpired: true,
      cleanupRevoked: false,
      // In the body, not a cookie (Flask-Security 5.9 defaults to the fs_refresh cookie; see docs/sign-in-and-guards.md).
      cookieName: undefined,
      cookiePath: '/auth/refresh-token',
    });
    expect(options.passwordHash).toBe('argon2');
    expect(options.returnGenericResponses).toBe(true);
  });

  it('reads lifetimes given as Flask-Security strings or seconds', () => {
    const options = resolveSecurityOptions({ secretKey, confirmEmailWithin: '2 hours', loginWithin: 90, tokenMaxAge: '1 week' });
    expect(options.confirmEmailWithin).toBe(7200);
    expect(options.loginWithin).toBe(90);
    expect(options.tokenMaxAge).toBe(604800);
  });

  it('gives auth tokens no max age for tokenMaxAge 0 or null (the pre-5.9 behaviour)', () => {
    expect(resolveSecurityOptions({ secretKey, tokenMaxAge: 0 }).tokenMaxAge).toBeUndefined();
    expect(resolveSecurityOptions({ secretKey, tokenMaxAge: null }).tokenMaxAge).toBeUndefined();
  });

  it('refuses to start without a secret key', () => {
    expect(() => resolveSecurityOptions({} as never)).toThrow(/secretKey is required/);
  });

  it('refuses a short secret key outside tests, and lists every problem at once', () => {
    let error: SecurityOptionsError | undefined;
    try {
      resolveSecurityOptions({ secretKey: 'short', loginWithin: 'soon', passwordHash: 'md5' as never, salts: { bogus: 'x' } as never });
    } catch (caught) {
      error = caught as SecurityOptionsError;
    }
    expect(error).toBeInstanceOf(SecurityOptionsError);
    expect(error!.problems).toHaveLength(4);
    expect(error!.message).toMatch(/secretKey must be at least 32 characters/);
    expect(error!.message).toMatch(/loginWithin/);
    expect(error!.message).toMatch(/passwordHash/);
    expect(error!.message).toMatch(/salts.bogus/);
  });

  it('accepts a short key when testing', () => {
    expect(resolveSecurityOptions({ secretKey: 'short', testing: true }).secretKeys).toEqual(['short']);
  });

  it('keeps a key list in order: the last one signs', () => {
    expect(resolveSecurityOptions({ secretKey: [secretKey, 'y'.repeat(40)] }).secretKeys).toEqual([secretKey, 'y'.repeat(40)]);
  });

  it('refuses unknown option names, top level and in groups, with the nearest valid name', () => {
    let error: SecurityOptionsError | undefined;
    try {
      resolveSecurityOptions({
        secretKey,
        registrable: true,
        csrf: { headername: 'X' },
        redirects: { postLgin: '/' },
        wholly_unrelated: 1,
      } as never);
    } catch (caught) {
      error = caught as SecurityOptionsError;
    }
    expect(error?.problems).toEqual([
      'unknown option `registrable`; did you mean `registerable`?',
      'unknown option `csrf.headername`; did you mean `csrf.headerName`?',
      'unknown option `redirects.postLgin`; did you mean `redirects.postLogin`?',
      'unknown option `wholly_unrelated`',
    ]);
  });

  it('takes the route prefix from the module build, and refuses it from an async factory', () => {
    expect(resolveSecurityOptions({ secretKey }, { urlPrefix: '/api/auth/' }).urlPrefix).toBe('/api/auth');
    expect(() => resolveSecurityOptions({ secretKey, urlPrefix: '/x' }, { urlPrefix: '/auth', fromFactory: true })).toThrow(
      /`urlPrefix` is a module extra/,
    );
    let error: SecurityOptionsError | undefined;
    try {
      resolveSecurityOptions({ secretKey, isGlobal: false } as never, { fromFactory: true });
    } catch (caught) {
      error = caught as SecurityOptionsError;
    }
    expect(error?.problems).toEqual([
      '`isGlobal` is a module extra: pass it to forRootAsync({ isGlobal, useFactory }) itself, not in what useFactory returns',
    ]);
  });

  it('refuses two-factor without TOTP secrets, and malformed two-factor options', () => {
    expect(() => resolveSecurityOptions({ secretKey, twoFactor: true })).toThrow(/twoFactor needs totpSecrets/);
    const problems = (() => {
      try {
        resolveSecurityOptions({
          secretKey,
          twoFactor: true,
          totpSecrets: { 'bad tag': '' },
          twoFactorEnabledMethods: ['authenticator', 'carrier-pigeon' as never],
          multiFactorRecoveryCodesN: 0,
        });
      } catch (error) {
        return (error as SecurityOptionsError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      expect.stringMatching(/twoFactorEnabledMethods: unknown method "carrier-pigeon"/),
      expect.stringMatching(/totpSecrets must be an object/),
      expect.stringMatching(/multiFactorRecoveryCodesN/),
    ]);
    const on = resolveSecurityOptions({ secretKey, twoFactor: true, totpSecrets: { '1': 'a secret' }, appUrl: 'https://shop.example.com' });
    expect(on).toMatchObject({
      twoFactor: true,
      totpIssuer: 'shop.example.com',
      twoFactorEnabledMethods: ['authenticator', 'email'],
      twoFactorRequired: false,
      twoFactorAlwaysValidate: true,
      tfValidity: 30 * 86400,
      twoFactorMailValidity: 300,
      multiFactorRecoveryCodes: false,
      multiFactorRecoveryCodesN: 5,
    });
    expect(resolveSecurityOptions({ secretKey, twoFactorLoginValidity: '7 days' }).tfValidity).toBe(7 * 86400);
  });

  it('leaves strategy names to start-up, but wants a list of names', () => {
    expect(resolveSecurityOptions({ secretKey, defaultAuthMethods: ['token', 'apikey'] }).defaultAuthMethods).toEqual(['token', 'apikey']);
    expect(() => resolveSecurityOptions({ secretKey, defaultAuthMethods: [] })).toThrow(/defaultAuthMethods must be a non-empty list/);
  });

  it('scopes the refresh-token cookie to the refresh route under the prefix, and refuses names and paths a Set-Cookie cannot carry', () => {
    const base = { secretKey: 'k', testing: true };
    expect(resolveSecurityOptions({ ...base, urlPrefix: '/api/auth/' }).refreshTokens.cookiePath).toBe('/api/auth/refresh-token');
    expect(resolveSecurityOptions({ ...base, urlPrefix: '/' }).refreshTokens.cookiePath).toBe('/refresh-token');
    expect(
      resolveSecurityOptions({ ...base, refreshTokens: { cookieName: 'fs_refresh', cookiePath: '/auth' } }).refreshTokens,
    ).toMatchObject({
      cookieName: 'fs_refresh',
      cookiePath: '/auth',
    });
    expect(() => resolveSecurityOptions({ ...base, refreshTokens: { cookieName: 'a;b' } })).toThrow(/refreshTokens.cookieName/);
    expect(() => resolveSecurityOptions({ ...base, refreshTokens: { cookieName: '' } })).toThrow(/refreshTokens.cookieName/);
    expect(() => resolveSecurityOptions({ ...base, refreshTokens: { cookiePath: 'auth; Domain=evil' } })).toThrow(
      /refreshTokens.cookiePath/,
    );
  });

  it("answers in nest-security's shape unless told 'flask-security'", () => {
    expect(resolveSecurityOptions({ secretKey }).responseShape).toBe('nest-security');
    expect(resolveSecurityOptions({ secretKey, responseShape: 'flask-security' }).responseShape).toBe('flask-security');
    // @ts-expect-error: not a shape
    expect(() => resolveSecurityOptions({ secretKey, responseShape: 'flask' })).toThrow(
      /responseShape must be 'nest-security' or 'flask-security'/,
    );
  });
});
