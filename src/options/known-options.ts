import type { SecurityModuleOptions } from '../security.options.js';

/** `true`: a value of any shape (checked elsewhere); an object: a group whose own keys are checked too. */
export type OptionShape = true | { readonly [key: string]: OptionShape };

type GroupShape<T> = { readonly [K in keyof Required<T>]: OptionShape };

const window = { max: true, window: true } as const;

/**
 * Every option name, top level and in groups. Typed against
 * SecurityModuleOptions, so an option added there without a line here does
 * not compile. Free-form maps (salts, mail.templates) are leaves: their keys
 * are checked where they are read.
 */
export const KNOWN_OPTIONS: GroupShape<SecurityModuleOptions> = {
  secretKey: true,
  passwordSalt: true,
  passwordHash: true,
  argon2: { memoryCost: true, timeCost: true, parallelism: true },
  bcryptRounds: true,
  passwordLengthMin: true,
  passwordLengthMax: true,
  breachedPasswords: true,
  salts: true,
  confirmEmailWithin: true,
  resetPasswordWithin: true,
  loginWithin: true,
  changeEmailWithin: true,
  usSetupWithin: true,
  tfSetupWithin: true,
  tfValidity: true,
  wanWithin: true,
  usTokenValidity: true,
  tokenMaxAge: true,
  keepAuthTokensOnPasswordChange: true,
  userEntity: true,
  datastore: true,
  dataSourceName: true,
  // Its keys are checked by resolveStorage.
  storage: true,
  mailer: true,
  urlPrefix: true,
  appUrl: true,
  defaultAuthMethods: true,
  returnGenericResponses: true,
  freshness: true,
  freshnessGracePeriod: true,
  session: { cookieName: true, secure: true, maxAge: true, rememberMaxAge: true, absoluteMaxAge: true },
  csrf: { enabled: true, cookieName: true, headerName: true },
  limits: { perAccount: window, perIp: window, lockout: true, redisUrl: true },
  userCache: { enabled: true, ttl: true },
  housekeeping: { enabled: true, interval: true, batchSize: true },
  registerable: true,
  confirmable: true,
  recoverable: true,
  changeable: true,
  changeEmail: true,
  passwordless: true,
  unifiedSignin: true,
  trackable: true,
  usernameEnable: true,
  usernameRequired: true,
  usernameRecovery: true,
  changeUsername: true,
  sendUsernameChangeEmail: true,
  sessionList: true,
  loginWithoutConfirmation: true,
  autoLoginAfterConfirm: true,
  autoLoginAfterReset: true,
  resendExpiredLinks: true,
  requirePasswordConfirm: true,
  usEnabledMethods: true,
  passwordlessBindToBrowser: true,
  usEmailLink: true,
  usMfaRequired: true,
  redirectBehavior: true,
  redirects: {
    confirmError: true,
    postConfirm: true,
    resetView: true,
    resetError: true,
    loginError: true,
    postLogin: true,
    changeEmailError: true,
    postChangeEmail: true,
  },
  redirectAllowedHosts: true,
  redirectAllowSubdomains: true,
  redirectIncludeIdentity: true,
  mail: { smtpUrl: true, from: true, templates: true },
  responseShape: true,
  twoFactor: true,
  totpSecrets: true,
  totpIssuer: true,
  twoFactorEnabledMethods: true,
  twoFactorRequired: true,
  twoFactorRequiredFor: true,
  twoFactorAlwaysValidate: true,
  twoFactorLoginValidity: true,
  twoFactorAuthenticatorValidity: true,
  twoFactorMailValidity: true,
  twoFactorSmsValidity: true,
  twoFactorSigninWithin: true,
  twoFactorRescueEmail: true,
  twoFactorRescueMail: true,
  multiFactorRecoveryCodes: true,
  multiFactorRecoveryCodesN: true,
  smsSender: true,
  testing: true,
};

/** Module extras: given to forRoot()/forRootAsync() themselves, never by an async options factory. */
export const MODULE_EXTRAS = ['isGlobal', 'urlPrefix'] as const;
