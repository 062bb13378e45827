import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { AUTHN_CONTROLLERS, AUTHN_EXPORTS, AUTHN_PROVIDERS } from './authn/authn.providers.js';
import { PasswordHasher } from './core/passwords/index.js';
import { FLOW_CONTROLLERS, FLOW_EXPORTS, FLOW_PROVIDERS } from './flows/flows.providers.js';
import { SecurityHttpModule } from './http/security-http.module.js';
import { PASSWORDLESS_CONTROLLERS, PASSWORDLESS_EXPORTS, PASSWORDLESS_PROVIDERS } from './flows/passwordless/passwordless.providers.js';
import {
  UNIFIED_SIGNIN_CONTROLLERS,
  UNIFIED_SIGNIN_EXPORTS,
  UNIFIED_SIGNIN_PROVIDERS,
} from './flows/unified-signin/unified-signin.providers.js';
import { STORAGE_EXPORTS, STORAGE_PROVIDERS } from './storage/storage.providers.js';
import { SecurityEvents } from './common/events/security-events.service.js';
import { createMailer, Mailer, MailService } from './mail/index.js';
import { SECURITY_OPTIONS, SECURITY_URL_PREFIX } from './security.constants.js';
import {
  ConfigurableSecurityModule,
  SECURITY_ASYNC_OPTIONS_TYPE,
  SECURITY_MODULE_OPTIONS,
  SECURITY_OPTIONS_TYPE,
  type SecurityModuleExtras,
} from './security.module-definition.js';
import { resolveSecurityOptions, type ResolvedSecurityOptions, type SecurityModuleOptions } from './security.options.js';
import { OneTimeTokenService } from './tokens/one-time-token.service.js';
import { SERIALIZER_NAMES } from './tokens/serializer-names.js';
import { getSerializerToken, SerializerRegistry } from './tokens/serializer-registry.js';
import { TokenStatusService } from './tokens/token-status.service.js';
import { TokenFactory } from './tokens/token.factory.js';

/** The services every other part of nest-security (and the app) builds on. */
const coreProviders: Provider[] = [
  {
    provide: SECURITY_OPTIONS,
    useFactory: (options: SecurityModuleOptions) => resolveSecurityOptions(options),
    inject: [SECURITY_MODULE_OPTIONS],
  },
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
        argon2: options.argon2,
        bcryptRounds: options.bcryptRounds,
        lengthMin: options.passwordLengthMin,
        lengthMax: options.passwordLengthMax,
      }),
    inject: [SECURITY_OPTIONS],
  },
  ...STORAGE_PROVIDERS,
  TokenFactory,
  TokenStatusService,
  OneTimeTokenService,
  {
    provide: Mailer,
    useFactory: (options: ResolvedSecurityOptions) => createMailer(options.mail),
    inject: [SECURITY_OPTIONS],
  },
  MailService,
  SecurityEvents,
  ...AUTHN_PROVIDERS,
];

const coreExports = [
  SECURITY_OPTIONS,
  SECURITY_URL_PREFIX,
  ...STORAGE_EXPORTS,
  SerializerRegistry,
  ...SERIALIZER_NAMES.map(getSerializerToken),
  PasswordHasher,
  TokenFactory,
  TokenStatusService,
  OneTimeTokenService,
  Mailer,
  MailService,
  SecurityEvents,
  ...AUTHN_EXPORTS,
  ...FLOW_EXPORTS,
  ...PASSWORDLESS_EXPORTS,
  ...UNIFIED_SIGNIN_EXPORTS,
];

/**
 * `SecurityModule.forRoot({ secretKey, ... })` or `.forRootAsync({ useFactory, inject })`.
 * Global by default. The HTTP API is mounted under `urlPrefix` (default '/auth').
 */
@Module({})
export class SecurityModule extends ConfigurableSecurityModule {
  static forRoot(options: typeof SECURITY_OPTIONS_TYPE): DynamicModule {
    return SecurityModule.withCore(super.forRoot(options), options);
  }

  static forRootAsync(options: typeof SECURITY_ASYNC_OPTIONS_TYPE): DynamicModule {
    return SecurityModule.withCore(super.forRootAsync(options), options);
  }

  private static withCore(definition: DynamicModule, extras: Partial<SecurityModuleExtras>): DynamicModule {
    const urlPrefix = extras.urlPrefix ?? '/auth';
    return {
      ...definition,
      module: SecurityModule,
      imports: [...(definition.imports ?? []), SecurityHttpModule, RouterModule.register([{ path: urlPrefix, module: SecurityModule }])],
      providers: [...(definition.providers ?? []), ...coreProviders, ...FLOW_PROVIDERS, ...PASSWORDLESS_PROVIDERS, ...UNIFIED_SIGNIN_PROVIDERS, { provide: SECURITY_URL_PREFIX, useValue: urlPrefix }],
      exports: [...(definition.exports ?? []), ...coreExports],
      controllers: [...(definition.controllers ?? []), ...AUTHN_CONTROLLERS, ...FLOW_CONTROLLERS, ...PASSWORDLESS_CONTROLLERS, ...UNIFIED_SIGNIN_CONTROLLERS],
    };
  }
}
