import type { Provider } from '@nestjs/common';
import { AUTHN_EXPORTS, AUTHN_PROVIDERS } from './authn/authn.providers.js';
import { SecurityEvents } from './common/events/security-events.service.js';
import { PasswordHasher } from './core/passwords/index.js';
import { FLOW_EXPORTS } from './flows/flows.providers.js';
import { PASSWORDLESS_EXPORTS } from './flows/passwordless/passwordless.providers.js';
import { UNIFIED_SIGNIN_EXPORTS } from './flows/unified-signin/unified-signin.providers.js';
import { TWO_FACTOR_EXPORTS } from './flows/two-factor/two-factor.providers.js';
import { Mailer, MailService } from './mail/index.js';
import { mailerProvider } from './mail/mailer.provider.js';
import { OPTION_SLICE_PROVIDERS } from './options/option-slices.js';
import { SECURITY_MODULE_BUILD, SECURITY_OPTIONS, SECURITY_URL_PREFIX } from './security.constants.js';
import { SECURITY_MODULE_OPTIONS } from './security.module-definition.js';
import { resolveSecurityOptions, type ResolvedSecurityOptions, type SecurityModuleOptions } from './security.options.js';
import { STORAGE_EXPORTS, STORAGE_PROVIDERS } from './storage/storage.providers.js';
import { HousekeepingService } from './storage/housekeeping/housekeeping.service.js';
import { OneTimeTokenService } from './tokens/one-time-token.service.js';
import { RefreshTokenService } from './tokens/refresh-token.service.js';
import { SERIALIZER_NAMES } from './tokens/serializer-names.js';
import { getSerializerToken, SerializerRegistry } from './tokens/serializer-registry.js';
import { TokenStatusService } from './tokens/token-status.service.js';
import { TokenFactory } from './tokens/token.factory.js';

/** How SecurityModule was built (SECURITY_MODULE_BUILD): known before any options factory runs. */
export interface SecurityModuleBuild {
  urlPrefix: string;
  /** forRootAsync: the options come from a factory, so which flows are on is known only at start-up. */
  async: boolean;
}

/** The services every other part of nest-security (and the app) builds on. */
export const coreProviders: Provider[] = [
  {
    provide: SECURITY_OPTIONS,
    useFactory: (options: SecurityModuleOptions, build: SecurityModuleBuild) =>
      resolveSecurityOptions(options, { urlPrefix: build.urlPrefix, fromFactory: build.async }),
    inject: [SECURITY_MODULE_OPTIONS, SECURITY_MODULE_BUILD],
  },
  ...OPTION_SLICE_PROVIDERS,
  {
    provide: SerializerRegistry,
    useFactory: (options: ResolvedSecurityOptions) => new SerializerRegistry(options),
    inject: [SECURITY_OPTIONS],
  },
  ...SERIALIZER_NAMES.map((name) => ({
    provide: getSerializerToken(name),
    useFactory: (registry: SerializerRegistry) => registry.get(name),
    inject: [SerializerRegistry],
  })),
  {
    provide: PasswordHasher,
    useFactory: (options: ResolvedSecurityOptions) =>
      new PasswordHasher({
        passwordSalt: options.passwordSalt,
        scheme: options.passwordHash,
        singleHash: options.passwordSingleHash,
        argon2: options.argon2,
        bcryptRounds: options.bcryptRounds,
        lengthMin: options.passwordLengthMin,
        lengthMax: options.passwordLengthMax,
      }),
    inject: [SECURITY_OPTIONS],
  },
  ...STORAGE_PROVIDERS,
  HousekeepingService,
  TokenFactory,
  TokenStatusService,
  OneTimeTokenService,
  RefreshTokenService,
  mailerProvider,
  MailService,
  SecurityEvents,
  ...AUTHN_PROVIDERS,
];

export const coreExports = [
  SECURITY_OPTIONS,
  SECURITY_URL_PREFIX,
  ...STORAGE_EXPORTS,
  HousekeepingService,
  SerializerRegistry,
  ...SERIALIZER_NAMES.map(getSerializerToken),
  PasswordHasher,
  TokenFactory,
  TokenStatusService,
  OneTimeTokenService,
  RefreshTokenService,
  Mailer,
  MailService,
  SecurityEvents,
  ...AUTHN_EXPORTS,
  ...FLOW_EXPORTS,
  ...PASSWORDLESS_EXPORTS,
  ...UNIFIED_SIGNIN_EXPORTS,
  ...TWO_FACTOR_EXPORTS,
];
