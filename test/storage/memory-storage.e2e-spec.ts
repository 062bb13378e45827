/**
 * The whole module on memoryStorage(): no database server, no TypeORM
 * connection. Register, the mailed link (real SMTP sink), confirm, login by
 * session and by token, a role check; single stores replaced by a class or
 * an instance; and the refusal of NODE_ENV=production.
 */
import 'reflect-metadata';
import { type INestApplication, Injectable } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { UserCache } from '../../src/authn/cache/user-cache.js';
import { SecurityGuard } from '../../src/authn/security.guard.js';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { AttemptStore } from '../../src/storage/attempt-store.js';
import { UserDatastore } from '../../src/storage/user-datastore.js';
import { SecurityModule } from '../../src/security.module.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { MemoryAttemptStore, MemoryUserDatastore, memoryStorage } from '../../src/testing/index.js';
import { ProtectedController } from '../authn/protected.controller.js';
import { cookiesOf } from '../support/authn-app.js';
import { extractLink, startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const PASSWORD = 'correct horse battery staple';

async function createMemoryApp(sink: SmtpSink, options: Partial<SecurityModuleOptions> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      SecurityModule.forRoot({
        secretKey: 'memory-storage-secret-key-0123456789abcdef',
        argon2: { memoryCost: 1024, timeCost: 1 },
        appUrl: 'https://app.example.test',
        mail: { smtpUrl: sink.url, from: 'Memory <no-reply@example.test>' },
        registerable: true,
        confirmable: true,
        limits: { perIp: { max: 100_000 } },
        storage: memoryStorage(),
        testing: true,
        ...options,
      }),
    ],
    controllers: [ProtectedController],
    providers: [{ provide: APP_GUARD, useClass: SecurityGuard }],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureSecurityApp(app);
  await app.init();
  return app;
}

describe('the module on memoryStorage(), with no database', () => {
  let sink: SmtpSink;
  let app: INestApplication;
  let server: Server;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await createMemoryApp(sink, { userCache: { enabled: true } });
    server = app.getHttpServer() as Server;
  });

  afterAll(async () => {
    await app?.close();
    await sink?.close();
  });

  it('uses the in-memory datastore', () => {
    expect(app.get(UserDatastore)).toBeInstanceOf(MemoryUserDatastore);
    expect(app.get(AttemptStore)).toBeInstanceOf(MemoryAttemptStore);
    // The user cache runs on the memory datastore's change feed.
    expect(app.get(UserCache).enabled).toBe(true);
  });

  it('registers, mails the confirm link, confirms, and signs in by session and by token; roles are enforced', async () => {
    const email = 'memory.jane@example.com';
    await request(server).post('/auth/register').send({ email, password: PASSWORD }).expect(200);
    const mail = await sink.waitFor((m) => m.to.includes(email));
    const link = extractLink(mail, '/auth/confirm/');
    const confirmed = await request(server).get(new URL(link).pathname);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
    // Single use: the link is spent.
    expect((await request(server).get(new URL(link).pathname)).body).toMatchObject({ code: 'ALREADY_CONFIRMED' });

    const login = await request(server).post('/auth/login?include_auth_token').send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    const cookie = cookiesOf(login.headers['set-cookie']);
    const token = login.body.authentication_token as string;
    expect(cookie).toContain('nest_security_session=');

    await request(server).get('/p/session').set('Cookie', cookie).expect(200, { email, via: 'session' });
    await request(server).get('/p/token').set('Authentication-Token', token).expect(200, { email, via: 'token' });
    await request(server).get('/p/admin').set('Authentication-Token', token).expect(403);

    const users = app.get(UserDatastore);
    await users.findOrCreateRole('admin');
    await users.addRoleToUser((await users.findUser({ email }))!, 'admin');
    // The user cache heard the change from the memory datastore: the role counts at once.
    await request(server).get('/p/admin').set('Authentication-Token', token).expect(200);

    // A password change (uniquifier rotation) ends the session and the token.
    await users.setPassword((await users.findUser({ email }))!, 'x');
    await request(server).get('/p/session').set('Cookie', cookie).expect(401);
    await request(server).get('/p/token').set('Authentication-Token', token).expect(401);
  });

  it('two-factor runs on the memory stores too: an authenticator set up, then the second step, once per code', async () => {
    const tf = await createMemoryApp(sink, { twoFactor: true, totpSecrets: { '1': 'memory totp secret' } });
    try {
      const s = tf.getHttpServer() as Server;
      const users = tf.get(UserDatastore);
      const email = 'memory.tf@example.com';
      await users.createUser({ email, password: await tf.get(PasswordHasher).hash(PASSWORD), confirmedAt: new Date() });
      const first = await request(s).post('/auth/login').send({ email, password: PASSWORD }).expect(200);
      const session = { cookie: cookiesOf(first.headers['set-cookie']), csrf: first.body.csrf_token as string };
      const started = await request(s)
        .post('/auth/tf-setup')
        .set('Cookie', session.cookie)
        .set('X-XSRF-Token', session.csrf)
        .send({ setup: 'authenticator' })
        .expect(200);
      const app = new TOTP({ secret: Secret.fromBase32(started.body.tf_authr_key.replace(/-/g, '')) });
      await request(s)
        .post(`/auth/tf-setup/${started.body.tf_state_token}`)
        .set('Cookie', session.cookie)
        .set('X-XSRF-Token', session.csrf)
        .send({ code: app.generate() })
        .expect(200);

      const pending = await request(s).post('/auth/login').send({ email, password: PASSWORD }).expect(200);
      expect(pending.body).toMatchObject({ tf_required: true, tf_method: 'authenticator' });
      const code = app.generate({ timestamp: Date.now() + 30_000 });
      const done = await request(s).post('/auth/tf-validate').set('Cookie', cookiesOf(pending.headers['set-cookie'])).send({ code });
      expect(done.status).toBe(200);
      await request(s).get('/p/session').set('Cookie', cookiesOf(done.headers['set-cookie'])).expect(200);
      const again = await request(s).post('/auth/login').send({ email, password: PASSWORD });
      await request(s).post('/auth/tf-validate').set('Cookie', cookiesOf(again.headers['set-cookie'])).send({ code }).expect(400);
    } finally {
      await tf.close();
    }
  });

  it('hands out refresh tokens and rotates them, a reused one revoking its family', async () => {
    const refreshing = await createMemoryApp(sink, { refreshTokens: { enabled: true } });
    try {
      const s = refreshing.getHttpServer() as Server;
      const users = refreshing.get(UserDatastore);
      await users.createUser({
        email: 'memory.refresh@example.com',
        password: await refreshing.get(PasswordHasher).hash(PASSWORD),
        confirmedAt: new Date(),
      });
      const login = await request(s)
        .post('/auth/login?include_auth_token')
        .send({ email: 'memory.refresh@example.com', password: PASSWORD });
      const first = login.body.refresh_token as string;
      const rotated = await request(s).post('/auth/refresh-token').send({ refresh_token: first }).expect(200);
      await request(s).get('/p/token').set('Authentication-Token', rotated.body.authentication_token).expect(200);
      expect((await request(s).post('/auth/refresh-token').send({ refresh_token: first })).body.code).toBe('REFRESH_TOKEN_REUSED');
      await request(s).post('/auth/refresh-token').send({ refresh_token: rotated.body.refresh_token }).expect(401);
    } finally {
      await refreshing.close();
    }
  });

  it('counts wrong passwords and locks the account out with 429', async () => {
    const locking = await createMemoryApp(sink, { limits: { perAccount: { max: 2 }, perIp: { max: 100_000 } } });
    try {
      const s = locking.getHttpServer() as Server;
      for (let i = 0; i < 2; i++)
        await request(s).post('/auth/login').send({ email: 'nobody@example.com', password: 'wrong password' }).expect(400);
      await request(s).post('/auth/login').send({ email: 'nobody@example.com', password: 'wrong password' }).expect(429);
    } finally {
      await locking.close();
    }
  });
});

/** A store of the app's own: counts what it is asked, on top of the memory store. */
@Injectable()
class CountingAttemptStore extends MemoryAttemptStore {
  static hits = 0;
  override hit(key: string, windowSeconds: number, max: number, lockoutSeconds: number) {
    CountingAttemptStore.hits++;
    return super.hit(key, windowSeconds, max, lockoutSeconds);
  }
}

describe('replacing a single store', () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
  });

  afterAll(() => sink?.close());

  it.each([
    ['a class (Nest instantiates it)', () => CountingAttemptStore],
    ['an instance', () => new CountingAttemptStore()],
  ])('by %s: the module uses it', async (_label, source) => {
    const app = await createMemoryApp(sink, { storage: { ...memoryStorage(), attempts: source() } });
    try {
      expect(app.get(AttemptStore)).toBeInstanceOf(CountingAttemptStore);
      const before = CountingAttemptStore.hits;
      await request(app.getHttpServer()).post('/auth/login').send({ email: 'who@example.com', password: 'wrong password' }).expect(400);
      // One hit per account, one per address.
      expect(CountingAttemptStore.hits - before).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('refuses an unknown store name at start-up', async () => {
    await expect(createMemoryApp(sink, { storage: { ...memoryStorage(), atempts: new MemoryAttemptStore() } as never })).rejects.toThrow(
      /storage\.atempts is not a store/,
    );
  });
});

describe('memoryStorage() under NODE_ENV=production', () => {
  it('refuses to start', async () => {
    const sink = await startSmtpSink();
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(createMemoryApp(sink)).rejects.toThrow(/refuses to run with NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
      await sink.close();
    }
  });
});
