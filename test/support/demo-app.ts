/**
 * The demo app (DemoAppModule, as `npm start` builds it) for the browser
 * suites: a fresh PostgreSQL database with the shipped migrations, mail to
 * the SMTP sink, cheap argon2, listening on a free port of localhost, which
 * is its appUrl (the passkeys' relying party and origin).
 *
 *   const demo = await startDemoApp('fastify', { twoFactorRequiredFor: () => true });
 *   await page.goto(`${demo.origin}/demo/sign-in`);
 *   await demo.close();
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DemoAppModule } from '../../demo/app.module.js';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { MailService } from '../../src/mail/index.js';
import { UserDatastore } from '../../src/storage/user-datastore.js';
import { createMigratedTestDatabase, type TestDatabase } from './database.js';
import { closeWithSinkAndDatabase, trackMailInFlight } from './flows-app.js';
import { freePort } from './free-port.js';
import { createPlatformApp, type TestPlatform } from './platform.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

export interface DemoApp {
  app: INestApplication;
  /** `http://localhost:<port>`: where it listens, and its appUrl. */
  origin: string;
  sink: SmtpSink;
  database: TestDatabase;
  datastore: UserDatastore;
  close(): Promise<void>;
}

/** The demo on `platform`, listening; `overrides` replace the demo's SecurityModule options. */
export async function startDemoApp(platform: TestPlatform, overrides: Partial<SecurityModuleOptions> = {}): Promise<DemoApp> {
  const database = await createMigratedTestDatabase();
  const sink = await startSmtpSink();
  try {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const moduleRef = await Test.createTestingModule({
      imports: [
        DemoAppModule.register(
          {
            port,
            databaseUrl: database.url,
            pglitePath: '',
            secretKey: 'demo-test-secret-key-0123456789abcdef',
            passwordSalt: 'demo-test-password-salt',
            totpSecrets: { '1': 'demo-test-totp-secret' },
            smtpUrl: sink.url,
            appUrl: origin,
            redisUrl: undefined,
            userCache: false,
          },
          { argon2: { memoryCost: 1024, timeCost: 1 }, testing: true, ...overrides },
        ),
      ],
    }).compile();
    const app = createPlatformApp(moduleRef, platform, { logger: ['error'] });
    configureSecurityApp(app);
    const mailInFlight = trackMailInFlight(app.get(MailService));
    await app.listen(port);
    return {
      app,
      origin,
      sink,
      database,
      datastore: app.get(UserDatastore),
      close: () => closeWithSinkAndDatabase(app, sink, database, mailInFlight),
    };
  } catch (error) {
    await sink.close();
    await database.drop();
    throw error;
  }
}
