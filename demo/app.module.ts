import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecurityGuard, SecurityModule, type SecurityModuleOptions } from 'nest-security';
import { DemoController } from './demo.controller.js';
import type { DemoEnv } from './demo-env.js';
import { HealthController } from './health.controller.js';
import { DemoPagesController } from './pages.controller.js';
import { createDemoDataSource } from './pglite-data-source.js';

/** The demo page each followed link (confirm, reset, login link, change email) lands on. */
const DEMO_REDIRECTS = {
  postConfirm: '/demo/confirmed',
  confirmError: '/demo/confirmed',
  resetView: '/demo/reset',
  resetError: '/demo/reset',
  postLogin: '/demo',
  loginError: '/demo/sign-in',
  postChangeEmail: '/demo',
  changeEmailError: '/demo',
} as const;

/**
 * The demo app, wired the way a user would wire nest-security: a TypeORM
 * connection, SecurityModule configured from ConfigService, the one
 * SecurityGuard installed globally (routes opt out with @Public()).
 */
@Module({})
export class DemoAppModule {
  static register(env: DemoEnv, overrides: Partial<SecurityModuleOptions> = {}): DynamicModule {
    return {
      module: DemoAppModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ demo: env })] }),
        EventEmitterModule.forRoot(),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          // Our factory picks PostgreSQL or embedded PGlite and runs the shipped migrations.
          dataSourceFactory: async () => createDemoDataSource({ databaseUrl: env.databaseUrl, pglitePath: env.pglitePath }).initialize(),
        }),
        SecurityModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService): SecurityModuleOptions => {
            const demo = config.getOrThrow<DemoEnv>('demo');
            return {
              secretKey: demo.secretKey,
              passwordSalt: demo.passwordSalt,
              appUrl: demo.appUrl,
              mail: { smtpUrl: demo.smtpUrl, from: 'nest-security demo <no-reply@localhost>' },
              limits: { redisUrl: demo.redisUrl },
              userCache: { enabled: demo.userCache },
              trackable: true,
              registerable: true,
              confirmable: true,
              recoverable: true,
              changeable: true,
              changeEmail: true,
              passwordless: true,
              unifiedSignin: true,
              usernameEnable: true,
              usernameRecovery: true,
              twoFactor: true,
              totpSecrets: demo.totpSecrets,
              totpIssuer: 'nest-security demo',
              twoFactorEnabledMethods: ['authenticator', 'email', 'sms'],
              multiFactorRecoveryCodes: true,
              refreshTokens: { enabled: true },
              changeUsername: true,
              webauthn: true,
              // The mails' links land on the demo's pages (demo/pages), as they would on a single page app's.
              redirectBehavior: 'spa',
              redirects: DEMO_REDIRECTS,
              ...overrides,
            };
          },
        }),
      ],
      controllers: [DemoController, HealthController, DemoPagesController],
      providers: [{ provide: APP_GUARD, useClass: SecurityGuard }],
    };
  }
}
