/**
 * How SecurityModule is wired into an app: forRoot and forRootAsync, option
 * names checked at start-up, the `mailer` option, the urlPrefix extra with
 * an async factory, and flows that are off answering 404 for everyone, even
 * behind a global SecurityGuard.
 */
import 'reflect-metadata';
import { Controller, type INestApplication, Injectable, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { Public } from '../src/authn/decorators/index.js';
import { SecurityGuard } from '../src/authn/security.guard.js';
import { configureSecurityApp } from '../src/common/errors/index.js';
import { Mailer, type MailMessage } from '../src/mail/index.js';
import { createSecurityDataSource } from '../src/storage/typeorm/data-source.js';
import { SecurityModule } from '../src/security.module.js';
import { UserDatastore } from '../src/storage/user-datastore.js';
import type { SecurityModuleOptions } from '../src/security.options.js';
import { createMigratedTestDatabase, type TestDatabase } from './support/database.js';

const BASE: SecurityModuleOptions = {
  secretKey: 'wiring-test-secret-key-0123456789abcdef',
  argon2: { memoryCost: 1024, timeCost: 1 },
  appUrl: 'https://app.example.test',
  testing: true,
};

/** A mailer of the test's own: keeps what it is given. */
@Injectable()
class RecordingMailer extends Mailer {
  static sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    RecordingMailer.sent.push(message);
  }
}

/** An app route outside the module's prefix that shares a flow's path: gating a flow must not touch it. */
@Controller()
class AppRegisterController {
  @Public()
  @Post('register')
  register() {
    return { app: true };
  }
}

interface Boot {
  async?: boolean;
  options?: Record<string, unknown>;
  urlPrefix?: string;
  globalGuard?: boolean;
  /** Without a database: for options refused before any connection is made. */
  withoutDatabase?: boolean;
  fastify?: boolean;
}

let database: TestDatabase;
const open: INestApplication[] = [];

async function boot({
  async = false,
  options = {},
  urlPrefix,
  globalGuard = true,
  withoutDatabase = false,
  fastify = false,
}: Boot): Promise<INestApplication> {
  const all = { ...BASE, ...options } as SecurityModuleOptions;
  const security = async
    ? SecurityModule.forRootAsync({ useFactory: async () => all, ...(urlPrefix ? { urlPrefix } : {}) })
    : SecurityModule.forRoot({ ...all, ...(urlPrefix ? { urlPrefix } : {}) });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ...(withoutDatabase
        ? []
        : [
            TypeOrmModule.forRootAsync({
              useFactory: () => ({}),
              dataSourceFactory: async () => createSecurityDataSource({ url: database.url }).initialize(),
            }),
          ]),
      security,
    ],
    controllers: [AppRegisterController],
    providers: globalGuard ? [{ provide: APP_GUARD, useClass: SecurityGuard }] : [],
  }).compile();
  const app = fastify
    ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
    : moduleRef.createNestApplication({ logger: false });
  configureSecurityApp(app);
  open.push(app);
  await app.init();
  if (fastify) await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  return app;
}

beforeAll(async () => {
  database = await createMigratedTestDatabase();
});
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
  RecordingMailer.sent = [];
});
afterAll(() => database?.drop());

describe('option names', () => {
  it.each([false, true])('refuses a misspelt option with the nearest valid name (async: %s)', async (async) => {
    await expect(boot({ async, options: { confirmable2: true }, withoutDatabase: true })).rejects.toThrow(
      'unknown option `confirmable2`; did you mean `confirmable`?',
    );
  });

  it('checks nested groups too, naming the option by its path', async () => {
    await expect(
      boot({ options: { session: { cookiename: 'sid' }, limits: { perIp: { maxx: 3 } } }, withoutDatabase: true }),
    ).rejects.toThrow(
      /unknown option `session\.cookiename`; did you mean `session\.cookieName`\?[\s\S]*unknown option `limits\.perIp\.maxx`; did you mean `limits\.perIp\.max`\?/,
    );
  });

  it('refuses a module extra returned by an async factory, where it would be ignored', async () => {
    await expect(boot({ async: true, options: { urlPrefix: '/api/auth' }, withoutDatabase: true })).rejects.toThrow(
      '`urlPrefix` is a module extra: pass it to forRootAsync({ urlPrefix, useFactory }) itself',
    );
  });
});

describe('the mailer option', () => {
  it('a Mailer class replaces the module mailer; links use the async module prefix', async () => {
    const app = await boot({ async: true, urlPrefix: '/api/auth', options: { recoverable: true, mailer: RecordingMailer } });
    const email = 'mailer.class@example.com';
    const datastore = app.get(UserDatastore);
    await datastore.createUser({ email, password: null, confirmedAt: new Date() });
    await request(app.getHttpServer()).post('/api/auth/reset').send({ email }).expect(200);
    await waitFor(() => RecordingMailer.sent.length > 0);
    expect(RecordingMailer.sent).toHaveLength(1);
    expect(RecordingMailer.sent[0]!.to).toBe(email);
    expect(RecordingMailer.sent[0]!.text).toContain('https://app.example.test/api/auth/reset/');
  });

  it('so does an instance (any object with send())', async () => {
    const sent: MailMessage[] = [];
    const app = await boot({ options: { recoverable: true, mailer: { send: async (message: MailMessage) => void sent.push(message) } } });
    const email = 'mailer.instance@example.com';
    await app.get(UserDatastore).createUser({ email, password: null, confirmedAt: new Date() });
    await request(app.getHttpServer()).post('/auth/reset').send({ email }).expect(200);
    await waitFor(() => sent.length > 0);
    expect(sent[0]).toMatchObject({ to: email, subject: expect.any(String) });
    expect(sent[0]!.text).toContain('https://app.example.test/auth/reset/');
  });

  it('refuses a mailer that is neither', async () => {
    await expect(boot({ options: { mailer: { post: () => undefined } }, withoutDatabase: true })).rejects.toThrow(
      'mailer must be a Mailer class or an object with a send(message) method',
    );
  });
});

describe('flows that are off answer 404 for everyone, before any guard', () => {
  const offCalls = (server: unknown) => [
    request(server as never)
      .post('/auth/register')
      .send({ email: 'a@example.com', password: 'a good passphrase' }),
    request(server as never)
      .post('/auth/change')
      .send({ password: 'x', new_password: 'y' }),
    request(server as never)
      .post('/auth/change-email')
      .send({ email: 'b@example.com' }),
    request(server as never).get('/auth/change-email/some.token'),
    request(server as never)
      .post('/auth/us-signin')
      .send({ identity: 'a@example.com', passcode: 'x' }),
    request(server as never)
      .post('/auth/login-link')
      .send({ email: 'a@example.com' }),
    request(server as never)
      .post('/auth/confirm')
      .send({ email: 'a@example.com' }),
    request(server as never)
      .post('/auth/change-username')
      .send({ username: 'newname' }),
  ];

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('with SecurityGuard as APP_GUARD (async: %s, fastify: %s)', async (async, fastify) => {
    const app = await boot({ async, fastify, options: { recoverable: true } });
    const server = app.getHttpServer();
    for (const [i, answer] of (await Promise.all(offCalls(server))).entries()) {
      expect({ call: i, status: answer.status, code: answer.body.code }).toEqual({ call: i, status: 404, code: 'NOT_FOUND' });
    }
    // What is on still works, and the app's own /register (outside the prefix) is not touched.
    expect((await request(server).post('/auth/reset').send({ email: 'a@example.com' })).status).toBe(200);
    const own = await request(server).post('/register');
    expect({ status: own.status, body: own.body }).toEqual({ status: 201, body: { app: true } });
  });
});

describe('the session list: on unless `sessionList: false`', () => {
  it.each([false, true])('async: %s', async (async) => {
    const on = await boot({ async });
    const listed = await request(on.getHttpServer()).get('/auth/sessions');
    expect({ status: listed.status, code: listed.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const off = await boot({ async, options: { sessionList: false } });
    for (const answer of [
      await request(off.getHttpServer()).get('/auth/sessions'),
      await request(off.getHttpServer()).delete('/auth/sessions'),
      await request(off.getHttpServer()).delete(`/auth/sessions/${'A'.repeat(22)}`),
    ]) {
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
