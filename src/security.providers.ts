import type { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AUTHN_EXPORTS, AUTHN_PROVIDERS } from './authn/authn.providers.js';
import { SecurityEvents } from './common/events/security-events.service.js';
import { PasswordHasher } from './core/passwords/index.js';
import { FLOW_EXPORTS } from './flows/flows.providers.js';
import { PASSWORDLESS_EXPORTS } from './flows/passwordless/passwordless.providers.js';
import { UNIFIED_SIGNIN_EXPORTS } from './flows/unified-signin/unified-signin.providers.js';
import { Mailer, MailService } from './mail/index.js';
import { mailerProvider } from './mail/mailer.provider.js';
import { OPTION_SLICE_PROVIDERS } from './options/option-slices.js';
import { SECURITY_DATA_SOURCE, SECURITY_MODULE_BUILD, SECURITY_OPTIONS, SECURITY_URL_PREFIX } from './security.constants.js';
import { SECURITY_MODULE_OPTIONS } from './security.module-definition.js';
import { resolveSecurityOptions, type ResolvedSecurityOptions, type SecurityModuleOptions } from './security.options.js';
import { TypeOrmUserDatastore } from './storage/typeorm/typeorm-user-datastore.js';
import { UserDatastore } from './storage/user-datastore.js';
import { OneTimeTokenService } from './tokens/one-time-token.service.js';
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
        argon2: options.argon2,
        bcryptRounds: options.bcryptRounds,
        lengthMin: options.passwordLengthMin,
        lengthMax: options.passwordLengthMax,
      }),
    inject: [SECURITY_OPTIONS],
  },
  {
    // The app's @nestjs/typeorm connection (TypeOrmModule.forRoot), looked up by name. The default
    // connection is also a declared (optional) dependency: Nest then waits for TypeOrmModule's async
    // factory before this one runs, instead of looking it up before it exists.
    provide: SECURITY_DATA_SOURCE,
    useFactory: (options: ResolvedSecurityOptions, moduleRef: ModuleRef, defaultDataSource?: DataSource) =>
      options.dataSourceName === undefined && defaultDataSource
        ? defaultDataSource
        : moduleRef.get<DataSource>(getDataSourceToken(options.dataSourceName) as string, { strict: false }),
    inject: [SECURITY_OPTIONS, ModuleRef, { token: getDataSourceToken(), optional: true }],
  },
  {
    provide: UserDatastore,
    useFactory: async (options: ResolvedSecurityOptions, moduleRef: ModuleRef, dataSource: DataSource) =>
      options.datastore ? moduleRef.create(options.datastore) : new TypeOrmUserDatastore(dataSource, options.userEntity),
    inject: [SECURITY_OPTIONS, ModuleRef, SECURITY_DATA_SOURCE],
  },
  TokenFactory,
  TokenStatusService,
  OneTimeTokenService,
  mailerProvider,
  MailService,
  SecurityEvents,
  ...AUTHN_PROVIDERS,
];

export const coreExports = [
  SECURITY_OPTIONS,
  SECURITY_DATA_SOURCE,
  SECURITY_URL_PREFIX,
  SerializerRegistry,
  ...SERIALIZER_NAMES.map(getSerializerToken),
  PasswordHasher,
  UserDatastore,
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
