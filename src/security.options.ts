import type { Type } from '@nestjs/common';
import { type Duration, durationToSeconds } from './common/duration.js';
import { Fernet, FernetKeyError } from './core/fernet/index.js';
import type { Mailer } from './mail/mailer.js';
import type { SmsSender } from './mail/sms/sms-sender.js';
import { KNOWN_OPTIONS, MODULE_EXTRAS } from './options/known-options.js';
import { unknownOptions } from './options/unknown-options.js';
import { redirectOptionProblems } from './options/redirect-options.js';
import type { SecurityUser } from './storage/typeorm/entities/security-user.entity.js';
import { User } from './storage/typeorm/entities/user.entity.js';
import type { UserDatastore } from './storage/user-datastore.js';
import { resolveStorage } from './storage/resolve-storage.js';
import type { SecurityStorage } from './storage/security-storage.js';
import { DEFAULT_SALTS, type SerializerName } from './tokens/serializer-names.js';
import type { LegacyLinksOptions } from './tokens/legacy-links.js';

/** The strategies nest-security registers itself (see AuthMethods). */
export type BuiltInAuthMethod = 'token' | 'session' | 'basic';
/**
 * The name of an authentication strategy: a built-in one, or one the app
 * registers (a passport strategy provider, see SecurityPassportStrategy).
 * Unknown names fail at start-up.
 */
export type AuthMethod = BuiltInAuthMethod | (string & {});
export type PasswordScheme = 'argon2' | 'bcrypt';

/**
 * What `SecurityModule.forRoot()` takes. Every lifetime and salt is a named
 * option with Flask-Security's default, so a migrated app keeps its links.
 */
export interface SecurityModuleOptions {
  /** Signs every token. A list rotates keys: all verify, the last one signs. */
  secretKey: string | Buffer | Array<string | Buffer>;
  /** Key of the HMAC pre-hash of passwords (Flask-Security's SECURITY_PASSWORD_SALT). */
  passwordSalt?: string;
  /** Scheme for new hashes; every supported format still verifies. Default 'argon2'. */
  passwordHash?: PasswordScheme;
  argon2?: { memoryCost?: number; timeCost?: number; parallelism?: number };
  bcryptRounds?: number;
  passwordLengthMin?: number;
  passwordLengthMax?: number;
  /** Reject passwords found in this list (lower-cased compare), or decided by this checker. */
  breachedPasswords?: string[] | ((password: string) => boolean | Promise<boolean>);

  /** Per-serializer salts; defaults as Flask-Security. */
  salts?: Partial<Record<SerializerName, string>>;
  confirmEmailWithin?: Duration;
  resetPasswordWithin?: Duration;
  loginWithin?: Duration;
  changeEmailWithin?: Duration;
  usSetupWithin?: Duration;
  tfSetupWithin?: Duration;
  tfValidity?: Duration;
  wanWithin?: Duration;
  /** Seconds an emailed unified sign-in code stays valid (US_TOKEN_VALIDITY). */
  usTokenValidity?: Duration;
  /**
   * Maximum age of auth tokens. Default 15 minutes, as Flask-Security 5.9
   * (renew them with `refreshTokens`); `0` (or `null`) restores the old "no
   * max age": tokens then live until revoked.
   */
  tokenMaxAge?: Duration | null;
  /**
   * Refresh tokens, as Flask-Security 5.9 (SECURITY_REFRESH_TOKEN_*): sign-ins
   * that return an auth token also return a `refresh_token`, and
   * `POST /refresh-token` exchanges it for a new auth token and the next
   * refresh token of its family. Off by default, as in Flask-Security.
   */
  refreshTokens?: {
    /** SECURITY_REFRESH_TOKEN. Default false. */
    enabled?: boolean;
    /** A family's absolute lifetime (REFRESH_TOKEN_MAX_AGE). Default 90 days. */
    maxAge?: Duration;
    /** A family dies unused this long (REFRESH_TOKEN_MAX_IDLE). Default 7 days. */
    maxIdle?: Duration;
    /** Delete the user's expired families at each new one (REFRESH_TOKEN_CLEANUP_EXPIRED). Default true. */
    cleanupExpired?: boolean;
    /** Delete the user's revoked families at each new one (REFRESH_TOKEN_CLEANUP_REVOKED). Default false. */
    cleanupRevoked?: boolean;
    /**
     * REFRESH_TOKEN_COOKIE_NAME: hand the refresh token out, and take it
     * back, in this HttpOnly, SameSite=Strict cookie (Secure as
     * `session.secure`) instead of the JSON body; exchanging it then needs
     * a JSON request with a CSRF token. Default none: the JSON body.
     */
    cookieName?: string;
    /** Where the browser sends the cookie. Default: the refresh route, `<urlPrefix>/refresh-token`. */
    cookiePath?: string;
  };
  /**
   * A password change (change, reset) ends every session and every auth
   * token of the user. With this on, auth tokens bound to
   * fs_token_uniquifier survive it, as in Flask-Security (API clients keep
   * working); sessions and links still die. Default false.
   */
  keepAuthTokensOnPasswordChange?: boolean;

  /**
   * Where state lives: `typeormStorage({ dataSourceName?, userEntity? })` (the default),
   * `memoryStorage()` (nest-security/testing), or either with single stores replaced:
   * `{ ...typeormStorage(), attempts: myStore }` (an instance or a class).
   */
  storage?: Partial<SecurityStorage>;
  /** Alias of `typeormStorage({ userEntity })`. Default: the shipped User. */
  userEntity?: Type<SecurityUser>;
  /** Alias of `storage.users`: your own UserDatastore class. */
  datastore?: Type<UserDatastore>;
  /** Alias of `typeormStorage({ dataSourceName })`. Default: the default connection. */
  dataSourceName?: string;
  /**
   * Where mail goes, instead of `mail.smtpUrl` or the console: a `Mailer`
   * class (instantiated with the module's injector) or an instance.
   */
  mailer?: Type<Mailer> | Mailer;

  /**
   * Route prefix of the HTTP API, and of every link the module mails.
   * Default '/auth'. A module extra: give it to forRoot() or beside
   * forRootAsync()'s useFactory (the routes are mounted before the factory runs).
   */
  urlPrefix?: string;
  /** Base of links in emails; never taken from the request's Host. */
  appUrl?: string;
  /** Strategies @AuthRequired() tries when none are named (built-in or the app's). Default ['session', 'token']. */
  defaultAuthMethods?: AuthMethod[];
  /** Same answer for known and unknown accounts. Default true. */
  returnGenericResponses?: boolean;
  /** Freshness window for @AuthRequired({ within }) defaults (FRESHNESS). Default 24 hours. */
  freshness?: Duration;
  freshnessGracePeriod?: Duration;

  session?: {
    cookieName?: string;
    /**
     * Mark every cookie the module writes (session, CSRF, login-link binding) `Secure`.
     * Default: true when `appUrl` is https, else false.
     */
    secure?: boolean;
    /** Idle lifetime of a plain session. Default 1 day. */
    maxAge?: Duration;
    /** Lifetime of a "remember me" session. Default 365 days. */
    rememberMaxAge?: Duration;
    /** Absolute lifetime of every session, plain or "remember me", however active it is. Default 30 days. */
    absoluteMaxAge?: Duration;
  };
  csrf?: {
    enabled?: boolean;
    cookieName?: string;
    headerName?: string;
  };
  /** Brute-force limits on password and code entry. */
  limits?: {
    perAccount?: { max?: number; window?: Duration };
    perIp?: { max?: number; window?: Duration };
    lockout?: Duration;
    /** Alias of `storage.attempts: redisAttemptStore(redisUrl)`: counters in Redis instead of the database. */
    redisUrl?: string;
  };
  /** In-process user cache for token auth, invalidated across processes. Default off. */
  userCache?: { enabled?: boolean; ttl?: Duration };
  /**
   * The periodic job deleting expired sessions, attempt counters, used-token
   * records and codes (HousekeepingService). `enabled` defaults to true, and
   * to false with `testing: true`; `interval` default 1 hour; `batchSize`
   * (rows per statement, default 1000).
   */
  housekeeping?: { enabled?: boolean; interval?: Duration; batchSize?: number };

  // Feature switches, as Flask-Security's.
  registerable?: boolean;
  confirmable?: boolean;
  recoverable?: boolean;
  changeable?: boolean;
  changeEmail?: boolean;
  passwordless?: boolean;
  unifiedSignin?: boolean;
  trackable?: boolean;
  usernameEnable?: boolean;
  usernameRequired?: boolean;
  usernameRecovery?: boolean;
  /** `POST /change-username` (needs `usernameEnable`), as Flask-Security's CHANGE_USERNAME. Default false. */
  changeUsername?: boolean;
  /** Mail the user a notice when their username changed (SEND_USERNAME_CHANGE_EMAIL). Default true. */
  sendUsernameChangeEmail?: boolean;
  /**
   * `GET /sessions`, `DELETE /sessions/:id`, `DELETE /sessions`: the caller's
   * own server-side sessions, listed and ended. Default true.
   */
  sessionList?: boolean;
  loginWithoutConfirmation?: boolean;
  /** Following a confirmation link signs the user in (Flask-Security before 5.3). Default false. */
  autoLoginAfterConfirm?: boolean;
  /** Setting a password through a reset link signs the user in (Flask-Security's AUTO_LOGIN_AFTER_RESET). Default false. */
  autoLoginAfterReset?: boolean;
  /** An expired confirmation or reset link mails a fresh one (Flask-Security before 5.3). Default false. */
  resendExpiredLinks?: boolean;
  requirePasswordConfirm?: boolean;
  /** Enabled unified sign-in methods. Default ['password', 'email']. */
  usEnabledMethods?: Array<'password' | 'email'>;
  /**
   * Passwordless links work only in the browser that asked for them: POST
   * /login-link sets an HttpOnly cookie holding a MAC of the link's token,
   * and GET /login/:token needs it. Links minted elsewhere (Flask-Security)
   * then stop working. Default false.
   */
  passwordlessBindToBrowser?: boolean;
  /** The unified sign-in code mail also carries a one-click link (GET /us-verify-link). Default true. */
  usEmailLink?: boolean;
  /** Unified sign-in methods after which two-factor still applies (US_MFA_REQUIRED). Default ['password', 'email']. */
  usMfaRequired?: Array<'password' | 'email'>;

  /** 'spa': email links redirect to front-end URLs with the outcome in the query. */
  redirectBehavior?: 'json' | 'spa';
  redirects?: {
    confirmError?: string;
    postConfirm?: string;
    resetView?: string;
    resetError?: string;
    loginError?: string;
    postLogin?: string;
    changeEmailError?: string;
    postChangeEmail?: string;
  };
  /**
   * Hosts (`host` or `host:port`, exact) a `next` parameter and the
   * `redirects` may point to besides appUrl's own. Default none.
   */
  redirectAllowedHosts?: string[];
  /** Subdomains of appUrl's host and of `redirectAllowedHosts` are allowed too (REDIRECT_ALLOW_SUBDOMAINS). Default false. */
  redirectAllowSubdomains?: boolean;
  /**
   * SPA redirects of followed links carry the user's `email` and `identity`
   * in the query string, as Flask-Security before 5.9. Default false.
   */
  redirectIncludeIdentity?: boolean;

  mail?: {
    /** smtp://user:pass@host:port; unset: mail goes to the console. */
    smtpUrl?: string;
    from?: string;
    /** Override subjects and bodies of mail templates, by template name. */
    templates?: Record<string, { subject?: string; text?: string; html?: string }>;
  };

  /**
   * The JSON the module's routes answer. 'flask-security': Flask-Security's
   * envelope `{ meta: { code }, response: { ... } }` (errors under
   * `response.errors` / `response.field_errors`, the auth token at
   * `response.user.authentication_token`), for front ends written for it.
   * Default 'nest-security'.
   */
  responseShape?: 'nest-security' | 'flask-security';
  // Two-factor (Flask-Security's TWO_FACTOR_*, TOTP_*, MULTI_FACTOR_RECOVERY_CODES*; see docs/two-factor.md).
  /** Two-factor sign-in and its routes (/tf-*). Default false. */
  twoFactor?: boolean;
  /** TOTP_SECRETS: `{ "1": "..." }`, the keys that encrypt TOTP secrets at rest; the newest tag encrypts. Required with twoFactor. */
  totpSecrets?: Record<string, string>;
  /** TOTP_ISSUER: the issuer an authenticator app shows. Default: the host of appUrl. */
  totpIssuer?: string;
  /** Second factors users may set up. Default ['authenticator', 'email'] ('sms' needs an smsSender of your own). */
  twoFactorEnabledMethods?: Array<'authenticator' | 'email' | 'sms'>;
  /** Every user must have a second factor (set up at their next sign-in). Default false. */
  twoFactorRequired?: boolean;
  /** Per-user requirement (Flask-Security's check_tf_required): true makes two-factor required for this user. */
  twoFactorRequiredFor?: (user: SecurityUser) => boolean | Promise<boolean>;
  /** Ask for the second factor at every sign-in, ignoring the tf_validity cookie. Default true (Flask-Security's). */
  twoFactorAlwaysValidate?: boolean;
  /** How long the tf_validity ("remember this device") cookie skips the second factor. Default 30 days (alias of tfValidity). */
  twoFactorLoginValidity?: Duration;
  /** How far either side of now an authenticator code is accepted. Default 30 seconds (one step). */
  twoFactorAuthenticatorValidity?: Duration;
  /** How long an emailed code is accepted. Default 300 seconds. */
  twoFactorMailValidity?: Duration;
  /** How long an SMS code is accepted. Default 120 seconds. */
  twoFactorSmsValidity?: Duration;
  /** How long a pending sign-in (password given, second factor not yet) lasts. Default 5 minutes. */
  twoFactorSigninWithin?: Duration;
  /** /tf-rescue may mail a code to the user's address. Default true. */
  twoFactorRescueEmail?: boolean;
  /** Where /tf-rescue's "help" request goes. Default mail.from. */
  twoFactorRescueMail?: string;
  /** Recovery codes (/mf-recovery-codes, /mf-recovery). Default false. */
  multiFactorRecoveryCodes?: boolean;
  /** How many recovery codes are generated. Default 5. */
  multiFactorRecoveryCodesN?: number;
  /**
   * MULTI_FACTOR_RECOVERY_CODES_KEYS: Fernet keys (32 bytes in base64url, as
   * Python's `Fernet.generate_key()`), the first one primary. Set, recovery
   * codes Flask-Security encrypted with them work, and new codes are stored
   * encrypted the same way; unset, new codes are stored as one-way HMACs.
   * Default none.
   */
  multiFactorRecoveryCodesKeys?: string[];
  // Passkeys (Flask-Security's WAN_*; see docs/passkeys.md).
  /** Passkeys and their routes (/wan-*); needs the optional peer @simplewebauthn/server. Default false. */
  webauthn?: boolean;
  /** WAN_RP_NAME: the relying party name authenticators show. Default: the host of appUrl. */
  wanRpName?: string;
  /** How long a passkey sign-in or re-authentication challenge (`wan_state`) lasts (WAN_SIGNIN_WITHIN). Default 1 minute. */
  wanSigninWithin?: Duration;
  /** User verification (PIN, biometrics) asked of passkeys used as first factor: 'required' refuses assertions without it. Default 'preferred'. */
  wanUserVerification?: 'required' | 'preferred' | 'discouraged';
  /** Where SMS codes go: an SmsSender class or instance. Default: the console (demo only). */
  smsSender?: Type<SmsSender> | SmsSender;

  /**
   * Accept the old app's confirm, reset and change-email links (flask-base,
   * flask-bones, ...) on the module's routes when the module's own
   * serializer refuses the token: see flaskBaseLegacyLinks(). Off by default.
   */
  legacyLinks?: LegacyLinksOptions;
  /**
   * Flask-Security's PASSWORD_SINGLE_HASH: hashes of these schemes (true: of
   * every scheme) are of the password itself, without the HMAC pre-hash
   * keyed by `passwordSalt` (e.g. flask-bones' bcrypt table). Default false.
   */
  passwordSingleHash?: boolean | Array<'argon2' | 'bcrypt'>;

  /** Relaxes start-up checks (short secret key) for test suites. */
  testing?: boolean;
}

/** Options after defaults are applied and durations turned into seconds. */
export interface ResolvedSecurityOptions extends Required<
  Omit<
    SecurityModuleOptions,
    | 'secretKey'
    | 'salts'
    | 'session'
    | 'csrf'
    | 'limits'
    | 'userCache'
    | 'housekeeping'
    | 'mail'
    | 'redirects'
    | 'argon2'
    | 'tokenMaxAge'
    | 'refreshTokens'
    | 'datastore'
    | 'dataSourceName'
    | 'storage'
    | 'mailer'
    | 'breachedPasswords'
    | 'passwordSalt'
    | 'confirmEmailWithin'
    | 'resetPasswordWithin'
    | 'loginWithin'
    | 'changeEmailWithin'
    | 'usSetupWithin'
    | 'tfSetupWithin'
    | 'tfValidity'
    | 'wanWithin'
    | 'usTokenValidity'
    | 'freshness'
    | 'freshnessGracePeriod'
    | 'totpSecrets'
    | 'totpIssuer'
    | 'twoFactorRequiredFor'
    | 'twoFactorLoginValidity'
    | 'twoFactorAuthenticatorValidity'
    | 'twoFactorMailValidity'
    | 'twoFactorSmsValidity'
    | 'twoFactorSigninWithin'
    | 'wanSigninWithin'
    | 'twoFactorRescueMail'
    | 'smsSender'
    | 'legacyLinks'
  >
> {
  secretKeys: Array<string | Buffer>;
  passwordSalt: string | undefined;
  salts: Record<SerializerName, string>;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  confirmEmailWithin: number;
  resetPasswordWithin: number;
  loginWithin: number;
  changeEmailWithin: number;
  usSetupWithin: number;
  tfSetupWithin: number;
  tfValidity: number;
  wanWithin: number;
  wanSigninWithin: number;
  usTokenValidity: number;
  tokenMaxAge: number | undefined;
  refreshTokens: {
    enabled: boolean;
    maxAge: number;
    maxIdle: number;
    cleanupExpired: boolean;
    cleanupRevoked: boolean;
    cookieName: string | undefined;
    cookiePath: string;
  };
  freshness: number;
  freshnessGracePeriod: number;
  datastore: Type<UserDatastore> | undefined;
  dataSourceName: string | undefined;
  /** Every store named (see resolveStorage). */
  storage: SecurityStorage;
  mailer: Type<Mailer> | Mailer | undefined;
  breachedPasswords: SecurityModuleOptions['breachedPasswords'];
  session: { cookieName: string; secure: boolean; maxAge: number; rememberMaxAge: number; absoluteMaxAge: number };
  csrf: { enabled: boolean; cookieName: string; headerName: string };
  limits: {
    perAccount: { max: number; window: number };
    perIp: { max: number; window: number };
    lockout: number;
    redisUrl: string | undefined;
  };
  userCache: { enabled: boolean; ttl: number };
  housekeeping: { enabled: boolean; interval: number; batchSize: number };
  mail: { smtpUrl: string | undefined; from: string; templates: NonNullable<NonNullable<SecurityModuleOptions['mail']>['templates']> };
  redirects: NonNullable<SecurityModuleOptions['redirects']>;
  totpSecrets: Record<string, string> | undefined;
  totpIssuer: string;
  twoFactorRequiredFor: SecurityModuleOptions['twoFactorRequiredFor'];
  twoFactorAuthenticatorValidity: number;
  twoFactorMailValidity: number;
  twoFactorSmsValidity: number;
  twoFactorSigninWithin: number;
  twoFactorRescueMail: string;
  smsSender: Type<SmsSender> | SmsSender | undefined;
  legacyLinks: LegacyLinksOptions | undefined;
}

/** Thrown at start-up; lists every problem found, one per line. */
export class SecurityOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`nest-security: invalid options:\n - ${problems.join('\n - ')}`);
    this.name = 'SecurityOptionsError';
  }
}

const MIN_SECRET_LENGTH = 32;

/** What the module itself knows when it is built (forRoot's or forRootAsync's own arguments). */
export interface ResolveExtras {
  /** The prefix the routes are mounted under; wins over `options.urlPrefix`. */
  urlPrefix?: string;
  /** The options came from an async factory: module extras in them are refused, they would be ignored. */
  fromFactory?: boolean;
}

/** Apply defaults and validate once; every problem is reported, not just the first. */
export function resolveSecurityOptions(options: SecurityModuleOptions, extras: ResolveExtras = {}): ResolvedSecurityOptions {
  // A module extra in a factory's result gets its own message below, not "unknown option".
  const problems: string[] = unknownOptions(options, KNOWN_OPTIONS).filter(
    (problem) => !MODULE_EXTRAS.some((extra) => problem.startsWith(`unknown option \`${extra}\``)),
  );
  if (extras.fromFactory && options) {
    for (const extra of MODULE_EXTRAS) {
      if (Object.hasOwn(options, extra))
        problems.push(
          `\`${extra}\` is a module extra: pass it to forRootAsync({ ${extra}, useFactory }) itself, not in what useFactory returns`,
        );
    }
  }
  const seconds = (value: Duration | undefined, fallback: Duration, label: string): number => {
    try {
      return durationToSeconds(value ?? fallback, label);
    } catch (error) {
      problems.push((error as Error).message);
      return 0;
    }
  };

  const legacy = options?.legacyLinks;
  if (legacy !== undefined && (typeof legacy !== 'object' || legacy === null || !isLegacySerializer(legacy.serializer)))
    problems.push('legacyLinks.serializer must be a serializer (with loads) or a function of the token');
  const singleHash = options?.passwordSingleHash;
  if (
    singleHash !== undefined &&
    typeof singleHash !== 'boolean' &&
    !(Array.isArray(singleHash) && singleHash.every((scheme) => scheme === 'argon2' || scheme === 'bcrypt'))
  )
    problems.push("passwordSingleHash must be true, false or a list of 'argon2' and 'bcrypt'");
  const rawKeys = options?.secretKey;
  const secretKeys = (Array.isArray(rawKeys) ? rawKeys : rawKeys == null ? [] : [rawKeys]).filter((key) => key != null && key.length > 0);
  if (secretKeys.length === 0) problems.push('secretKey is required');
  else if (!options.testing && secretKeys.some((key) => key.length < MIN_SECRET_LENGTH))
    problems.push(`secretKey must be at least ${MIN_SECRET_LENGTH} characters (use a random value; testing: true relaxes this)`);

  const passwordHash = options.passwordHash ?? 'argon2';
  if (passwordHash !== 'argon2' && passwordHash !== 'bcrypt')
    problems.push(`passwordHash must be 'argon2' or 'bcrypt', got "${passwordHash}"`);
  const passwordLengthMin = options.passwordLengthMin ?? 8;
  const passwordLengthMax = options.passwordLengthMax ?? 128;
  if (!(passwordLengthMin >= 1 && passwordLengthMax >= passwordLengthMin))
    problems.push('passwordLengthMin must be at least 1 and not above passwordLengthMax');

  for (const name of Object.keys(options.salts ?? {})) {
    if (!(name in DEFAULT_SALTS)) problems.push(`salts.${name} is not a serializer name (${Object.keys(DEFAULT_SALTS).join(', ')})`);
  }

  const urlPrefix = extras.urlPrefix ?? options.urlPrefix ?? '/auth';
  if (!/^\/[A-Za-z0-9/_-]*$/.test(urlPrefix)) problems.push(`urlPrefix must start with "/", got "${urlPrefix}"`);
  const appUrl = options.appUrl ?? 'http://localhost:3000';
  if (!/^https?:\/\/[^\s/]+/.test(appUrl)) problems.push(`appUrl must be an http(s) URL, got "${appUrl}"`);

  const defaultAuthMethods = options.defaultAuthMethods ?? ['session', 'token'];
  // Names are checked against the registered strategies at start-up (StrategyRegistry): apps add their own.
  if (
    !Array.isArray(defaultAuthMethods) ||
    defaultAuthMethods.length === 0 ||
    defaultAuthMethods.some((method) => typeof method !== 'string' || method === '')
  ) {
    problems.push('defaultAuthMethods must be a non-empty list of strategy names');
  }

  const mailer = options.mailer;
  if (mailer !== undefined && typeof mailer !== 'function' && typeof (mailer as Partial<Mailer>)?.send !== 'function') {
    problems.push('mailer must be a Mailer class or an object with a send(message) method');
  }

  for (const method of options.usEnabledMethods ?? []) {
    if (method !== 'password' && method !== 'email')
      problems.push(`usEnabledMethods: unknown method "${String(method)}" (password, email)`);
  }

  const responseShape = options.responseShape ?? 'nest-security';
  if (responseShape !== 'nest-security' && responseShape !== 'flask-security')
    problems.push(`responseShape must be 'nest-security' or 'flask-security', got "${String(responseShape)}"`);

  const resolved: ResolvedSecurityOptions = {
    secretKeys,
    passwordSalt: options.passwordSalt,
    passwordHash,
    argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1, ...options.argon2 },
    bcryptRounds: options.bcryptRounds ?? 12,
    passwordLengthMin,
    passwordLengthMax,
    breachedPasswords: options.breachedPasswords,
    salts: { ...DEFAULT_SALTS, ...options.salts },
    confirmEmailWithin: seconds(options.confirmEmailWithin, '2 days', 'confirmEmailWithin'),
    resetPasswordWithin: seconds(options.resetPasswordWithin, '1 days', 'resetPasswordWithin'),
    loginWithin: seconds(options.loginWithin, '1 days', 'loginWithin'),
    changeEmailWithin: seconds(options.changeEmailWithin, '2 hours', 'changeEmailWithin'),
    usSetupWithin: seconds(options.usSetupWithin, '30 minutes', 'usSetupWithin'),
    tfSetupWithin: seconds(options.tfSetupWithin, '30 minutes', 'tfSetupWithin'),
    tfValidity: seconds(options.twoFactorLoginValidity ?? options.tfValidity, '30 days', 'twoFactorLoginValidity'),
    wanWithin: seconds(options.wanWithin, '30 minutes', 'wanWithin'),
    wanSigninWithin: seconds(options.wanSigninWithin, '1 minutes', 'wanSigninWithin'),
    usTokenValidity: seconds(options.usTokenValidity, 120, 'usTokenValidity'),
    // 0 or null: no max age (Flask-Security's 0); unset: 15 minutes (5.9).
    tokenMaxAge: options.tokenMaxAge === null ? undefined : seconds(options.tokenMaxAge, '15 minutes', 'tokenMaxAge') || undefined,
    refreshTokens: {
      enabled: options.refreshTokens?.enabled ?? false,
      maxAge: seconds(options.refreshTokens?.maxAge, '90 days', 'refreshTokens.maxAge'),
      maxIdle: seconds(options.refreshTokens?.maxIdle, '7 days', 'refreshTokens.maxIdle'),
      cleanupExpired: options.refreshTokens?.cleanupExpired ?? true,
      cleanupRevoked: options.refreshTokens?.cleanupRevoked ?? false,
      cookieName: options.refreshTokens?.cookieName,
      cookiePath: options.refreshTokens?.cookiePath ?? `${urlPrefix.replace(/\/+$/, '')}/refresh-token`,
    },
    userEntity: options.userEntity ?? options.storage?.userEntity ?? User,
    datastore: options.datastore,
    dataSourceName: options.dataSourceName,
    storage: resolveStorage(options, problems),
    mailer,
    urlPrefix: urlPrefix.replace(/\/+$/, '') || '/',
    appUrl: appUrl.replace(/\/+$/, ''),
    defaultAuthMethods,
    returnGenericResponses: options.returnGenericResponses ?? true,
    keepAuthTokensOnPasswordChange: options.keepAuthTokensOnPasswordChange ?? false,
    freshness: seconds(options.freshness, '24 hours', 'freshness'),
    freshnessGracePeriod: seconds(options.freshnessGracePeriod, '1 hours', 'freshnessGracePeriod'),
    session: {
      cookieName: options.session?.cookieName ?? 'nest_security_session',
      secure: options.session?.secure ?? /^https:/i.test(appUrl),
      maxAge: seconds(options.session?.maxAge, '1 days', 'session.maxAge'),
      rememberMaxAge: seconds(options.session?.rememberMaxAge, '365 days', 'session.rememberMaxAge'),
      absoluteMaxAge: seconds(options.session?.absoluteMaxAge, '30 days', 'session.absoluteMaxAge'),
    },
    csrf: {
      enabled: options.csrf?.enabled ?? true,
      cookieName: options.csrf?.cookieName ?? 'XSRF-TOKEN',
      headerName: options.csrf?.headerName ?? 'X-XSRF-Token',
    },
    limits: {
      perAccount: {
        max: options.limits?.perAccount?.max ?? 10,
        window: seconds(options.limits?.perAccount?.window, '15 minutes', 'limits.perAccount.window'),
      },
      perIp: {
        max: options.limits?.perIp?.max ?? 100,
        window: seconds(options.limits?.perIp?.window, '15 minutes', 'limits.perIp.window'),
      },
      lockout: seconds(options.limits?.lockout, '15 minutes', 'limits.lockout'),
      redisUrl: options.limits?.redisUrl,
    },
    userCache: { enabled: options.userCache?.enabled ?? false, ttl: seconds(options.userCache?.ttl, 60, 'userCache.ttl') },
    housekeeping: {
      enabled: options.housekeeping?.enabled ?? !(options.testing ?? false),
      interval: seconds(options.housekeeping?.interval, '1 hour', 'housekeeping.interval'),
      batchSize: options.housekeeping?.batchSize ?? 1000,
    },
    registerable: options.registerable ?? false,
    confirmable: options.confirmable ?? false,
    recoverable: options.recoverable ?? false,
    changeable: options.changeable ?? false,
    changeEmail: options.changeEmail ?? false,
    passwordless: options.passwordless ?? false,
    unifiedSignin: options.unifiedSignin ?? false,
    trackable: options.trackable ?? false,
    usernameEnable: options.usernameEnable ?? false,
    usernameRequired: options.usernameRequired ?? false,
    usernameRecovery: options.usernameRecovery ?? false,
    changeUsername: options.changeUsername ?? false,
    sendUsernameChangeEmail: options.sendUsernameChangeEmail ?? true,
    sessionList: options.sessionList ?? true,
    loginWithoutConfirmation: options.loginWithoutConfirmation ?? false,
    autoLoginAfterConfirm: options.autoLoginAfterConfirm ?? false,
    autoLoginAfterReset: options.autoLoginAfterReset ?? false,
    resendExpiredLinks: options.resendExpiredLinks ?? false,
    legacyLinks: options.legacyLinks,
    passwordSingleHash: options.passwordSingleHash ?? false,
    requirePasswordConfirm: options.requirePasswordConfirm ?? false,
    usEnabledMethods: options.usEnabledMethods ?? ['password', 'email'],
    passwordlessBindToBrowser: options.passwordlessBindToBrowser ?? false,
    usEmailLink: options.usEmailLink ?? true,
    usMfaRequired: options.usMfaRequired ?? ['password', 'email'],
    redirectBehavior: options.redirectBehavior ?? 'json',
    redirects: { ...options.redirects },
    redirectAllowedHosts: options.redirectAllowedHosts ?? [],
    redirectAllowSubdomains: options.redirectAllowSubdomains ?? false,
    redirectIncludeIdentity: options.redirectIncludeIdentity ?? false,
    mail: {
      smtpUrl: options.mail?.smtpUrl,
      from: options.mail?.from ?? 'no-reply@localhost',
      templates: options.mail?.templates ?? {},
    },
    responseShape,
    twoFactor: options.twoFactor ?? false,
    totpSecrets: options.totpSecrets,
    totpIssuer: options.totpIssuer ?? hostOf(appUrl),
    twoFactorEnabledMethods: options.twoFactorEnabledMethods ?? ['authenticator', 'email'],
    twoFactorRequired: options.twoFactorRequired ?? false,
    twoFactorRequiredFor: options.twoFactorRequiredFor,
    twoFactorAlwaysValidate: options.twoFactorAlwaysValidate ?? true,
    twoFactorAuthenticatorValidity: seconds(options.twoFactorAuthenticatorValidity, 30, 'twoFactorAuthenticatorValidity'),
    twoFactorMailValidity: seconds(options.twoFactorMailValidity, 300, 'twoFactorMailValidity'),
    twoFactorSmsValidity: seconds(options.twoFactorSmsValidity, 120, 'twoFactorSmsValidity'),
    twoFactorSigninWithin: seconds(options.twoFactorSigninWithin, '5 minutes', 'twoFactorSigninWithin'),
    twoFactorRescueEmail: options.twoFactorRescueEmail ?? true,
    twoFactorRescueMail: options.twoFactorRescueMail ?? options.mail?.from ?? 'no-reply@localhost',
    multiFactorRecoveryCodes: options.multiFactorRecoveryCodes ?? false,
    multiFactorRecoveryCodesN: options.multiFactorRecoveryCodesN ?? 5,
    multiFactorRecoveryCodesKeys: options.multiFactorRecoveryCodesKeys ?? [],
    webauthn: options.webauthn ?? false,
    wanRpName: options.wanRpName ?? hostOf(appUrl),
    wanUserVerification: options.wanUserVerification ?? 'preferred',
    smsSender: options.smsSender,
    testing: options.testing ?? false,
  };
  problems.push(...redirectOptionProblems(resolved));
  problems.push(...twoFactorProblems(options));
  problems.push(...refreshCookieProblems(resolved.refreshTokens));
  if (problems.length > 0) throw new SecurityOptionsError(problems);
  return resolved;
}

/** The host of appUrl (the default TOTP issuer); 'nest-security' when it has none. */
function hostOf(appUrl: string): string {
  try {
    return new URL(appUrl).hostname || 'nest-security';
  } catch {
    return 'nest-security';
  }
}

/** Two-factor's start-up checks: TOTP_SECRETS present and well-formed, known methods, a sane code count. */
function twoFactorProblems(options: SecurityModuleOptions): string[] {
  const problems: string[] = [];
  for (const method of options.twoFactorEnabledMethods ?? []) {
    if (!['authenticator', 'email', 'sms'].includes(method))
      problems.push(`twoFactorEnabledMethods: unknown method "${String(method)}" (authenticator, email, sms)`);
  }
  if (options.twoFactorEnabledMethods !== undefined && options.twoFactorEnabledMethods.length === 0)
    problems.push('twoFactorEnabledMethods must name at least one method');
  const secrets = options.totpSecrets;
  if (secrets !== undefined) {
    const entries = typeof secrets === 'object' && secrets !== null ? Object.entries(secrets) : [];
    if (
      entries.length === 0 ||
      entries.some(([tag, value]) => !/^[a-z0-9][a-z0-9_.-]*$/i.test(tag) || typeof value !== 'string' || value === '')
    )
      problems.push('totpSecrets must be an object of tag → non-empty secret, e.g. { "1": "..." } (Flask-Security\'s TOTP_SECRETS)');
  }
  if (options.twoFactor && secrets === undefined)
    problems.push(
      'twoFactor needs totpSecrets (Flask-Security\'s TOTP_SECRETS, e.g. { "1": "<a long random value>" }): TOTP keys are stored encrypted with them',
    );
  const n = options.multiFactorRecoveryCodesN;
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 50))
    problems.push('multiFactorRecoveryCodesN must be an integer from 1 to 50');
  problems.push(...fernetKeyProblems(options.multiFactorRecoveryCodesKeys));
  return problems;
}

/** A cookie name and path a Set-Cookie can carry as they are. */
function refreshCookieProblems({ cookieName, cookiePath }: ResolvedSecurityOptions['refreshTokens']): string[] {
  const problems: string[] = [];
  if (cookieName !== undefined && !(typeof cookieName === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(cookieName)))
    problems.push('refreshTokens.cookieName must be 1 to 64 letters, digits, "_", "." or "-"');
  if (!(typeof cookiePath === 'string' && /^\/[A-Za-z0-9_.~/-]{0,200}$/.test(cookiePath)))
    problems.push('refreshTokens.cookiePath must be a path starting with "/" (letters, digits, "_", ".", "~", "-", "/")');
  return problems;
}

/** multiFactorRecoveryCodesKeys: a list of Fernet keys, each one Python's Fernet would take. */
function fernetKeyProblems(keys: unknown): string[] {
  if (keys === undefined) return [];
  const valid = (key: unknown): boolean => {
    if (typeof key !== 'string') return false;
    try {
      new Fernet(key);
      return true;
    } catch (error) {
      if (error instanceof FernetKeyError) return false;
      throw error;
    }
  };
  return Array.isArray(keys) && keys.every(valid)
    ? []
    : ['multiFactorRecoveryCodesKeys must be a list of Fernet keys (32 bytes in url-safe base64, as Fernet.generate_key() gives)'];
}

function isLegacySerializer(value: unknown): boolean {
  return (
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && typeof (value as { loads?: unknown }).loads === 'function')
  );
}
