/**
 * A small app for the account-flow suites: real PostgreSQL (a fresh database
 * with the shipped migrations), the real SMTP sink, SecurityModule with every
 * flow on and cheap argon2, EventEmitterModule with a recorder of every
 * event, and the security exception filter bound globally.
 *
 *   const flows = await createFlowsApp({ returnGenericResponses: false }, platform);
 *   await request(flows.server).post('/auth/register').send({ ... });
 *   const mail = await flows.sink.waitFor((m) => m.to.includes('jane@example.com'));
 *   await flows.settleMail();   // every mail the app started to send has arrived (or failed)
 *   await flows.close();
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Server } from 'node:http';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import { MailService } from '../../src/mail/index.js';
import { createSecurityDataSource } from '../../src/storage/typeorm/data-source.js';
import { UserDatastore } from '../../src/storage/user-datastore.js';
import { SecurityModule } from '../../src/security.module.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { createMigratedTestDatabase, type TestDatabase } from './database.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { createPlatformApp, initPlatformApp, type TestPlatform } from './platform.js';

export const FLOWS_APP_URL = 'https://app.example.test';
export const FLOWS_SECRET_KEY = 'flows-test-secret-key-0123456789abcdef';

export interface RecordedEvent {
  name: string;
  payload: unknown;
}

export interface FlowsApp {
  app: INestApplication;
  server: Server;
  sink: SmtpSink;
  database: TestDatabase;
  datastore: UserDatastore;
  /** Every event emitted, in order. */
  events: RecordedEvent[];
  /** Resolves once every mail the app has started to send was delivered to the sink (or given up on). */
  settleMail(): Promise<void>;
  close(): Promise<void>;
}

/** Options every flows suite starts from; `overrides` replace them. */
export function flowsTestOptions(smtpUrl: string): SecurityModuleOptions {
  return {
    secretKey: FLOWS_SECRET_KEY,
    passwordSalt: 'flows-test-password-salt',
    argon2: { memoryCost: 1024, timeCost: 1 },
    appUrl: FLOWS_APP_URL,
    mail: { smtpUrl, from: 'Flows Test <no-reply@example.test>' },
    registerable: true,
    confirmable: true,
    recoverable: true,
    changeable: true,
    changeEmail: true,
    usernameEnable: true,
    usernameRecovery: true,
    changeUsername: true,
    testing: true,
  };
}

export async function createFlowsApp(
  overrides: Partial<SecurityModuleOptions> = {},
  platform: TestPlatform = 'express',
): Promise<FlowsApp> {
  const database = await createMigratedTestDatabase();
  const sink = await startSmtpSink();
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: false }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () => createSecurityDataSource({ url: database.url, migrationsRun: true }).initialize(),
        }),
        SecurityModule.forRoot({ ...flowsTestOptions(sink.url), ...overrides }),
      ],
    }).compile();
    const app = createPlatformApp(moduleRef, platform, { logger: ['error'] });
    configureSecurityApp(app);
    await initPlatformApp(app, platform);
    const mailInFlight = trackMailInFlight(app.get(MailService));
    const events: RecordedEvent[] = [];
    app.get(EventEmitter2).onAny((name: string | string[], payload: unknown) => {
      events.push({ name: Array.isArray(name) ? name.join('.') : name, payload });
    });
    return {
      app,
      server: app.getHttpServer(),
      sink,
      database,
      datastore: app.get(UserDatastore),
      events,
      settleMail: mailInFlight,
      close: () => closeWithSinkAndDatabase(app, sink, database, mailInFlight),
    };
  } catch (error) {
    await sink.close();
    await database.drop();
    throw error;
  }
}

/** Closes a test app, then its SMTP sink and database. */
export async function closeWithSinkAndDatabase(
  app: INestApplication,
  sink: SmtpSink,
  database: TestDatabase,
  mailInFlight: () => Promise<void>,
): Promise<void> {
  // Mails go out after the answers: let the last ones arrive before the sink goes.
  await mailInFlight();
  await app.close();
  await sink.close();
  await database.drop();
}

/** The `name=value` of a Set-Cookie header list, for sending back as Cookie. */
export function cookiesOf(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list
    .map((cookie) => cookie.split(';')[0])
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

/**
 * Every mail sent through `mail`, from the call until it was delivered or
 * given up on (the flows send without awaiting, after the answer). The
 * sending itself is untouched. Returns: wait until none is under way.
 */
export function trackMailInFlight(mail: MailService): () => Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  const send = mail.sendTemplate.bind(mail);
  mail.sendTemplate = ((...args: Parameters<typeof send>) => {
    const delivery = send(...args);
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
    return delivery;
  }) as typeof mail.sendTemplate;
  return async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
}

/** Resolves once no more mail has arrived for `quietMs` (for a sink whose app is not a FlowsApp: `flows.settleMail()` is exact). */
export async function settleMail(sink: SmtpSink, quietMs = 300): Promise<void> {
  let count = -1;
  while (count !== sink.messages.length) {
    count = sink.messages.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}
