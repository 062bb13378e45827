import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { UserDatastore } from 'nest-security';
import { AppUser, AppUser as AppUserClass } from './apps/user-app/app-user.entity.js';
import { createSecurityDataSource, securityEntities, TypeOrmUserDatastore } from 'nest-security/typeorm';
import { startUserApp } from './apps/user-app/main.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { TEST_PLATFORMS } from './support/platform.js';
import { extractLink, type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

const APP_URL = 'http://app.example.test';
const PASSWORD = 'correct horse battery';

/** The names of the cookies a response sets, as a Cookie header. */
function cookiesOf(setCookie: string[] | string | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((cookie) => cookie.split(';')[0]).join('; ');
}

/**
 * A user's own app (test/apps/user-app: its own AppUser entity and migration,
 * forRootAsync, SecurityGuard as APP_GUARD, its own controllers), started as
 * the app starts itself, on each platform, under the default prefix and
 * under /api/auth, on PostgreSQL and with no database at all.
 */
describe.each(
  TEST_PLATFORMS.flatMap((platform) => [
    { platform, urlPrefix: '/auth', storage: 'postgres' },
    { platform, urlPrefix: '/api/auth', storage: 'postgres' },
    { platform, urlPrefix: '/auth', storage: 'memory' },
  ]),
)('a user app on $platform, prefix $urlPrefix, $storage storage', ({ platform, urlPrefix, storage }) => {
  let sink: SmtpSink;
  let database: TestDatabase | undefined;
  let app: INestApplication;
  let server: Parameters<typeof request>[0];
  const email = `jane.${platform}.${storage}@example.com`;
  let token: string;
  let sessionCookie: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    if (storage === 'postgres') database = await createTestDatabase();
    app = await startUserApp(platform, { databaseUrl: database?.url, smtpUrl: sink.url, urlPrefix, appUrl: APP_URL });
    server = app.getHttpServer();
  });

  afterAll(async () => {
    await app?.close();
    await sink?.close();
    await database?.drop();
  });

  it('registers, and mails a confirm link under the prefix the routes are mounted under, which confirms', async () => {
    const registered = await request(server).post(`${urlPrefix}/register`).send({ email, password: PASSWORD });
    expect(registered.status).toBe(200);
    const link = extractLink(await sink.waitFor((mail) => mail.to.includes(email)), '/confirm/');
    expect(link.startsWith(`${APP_URL}${urlPrefix}/confirm/`)).toBe(true);
    const confirmed = await request(server).get(link.slice(APP_URL.length));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
  });

  it("logs in: a session cookie and a token, each accepted by the app's own routes, which see its entity", async () => {
    const login = await request(server).post(`${urlPrefix}/login?include_auth_token`).send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    token = login.body.authentication_token;
    sessionCookie = cookiesOf(login.headers['set-cookie']);
    expect(typeof token).toBe('string');

    const users = app.get(UserDatastore) as UserDatastore<AppUser>;
    const user = (await users.findUser({ email }))!;
    user.displayName = 'Jane';
    await users.saveUser(user);

    await request(server).get('/account/me').expect(401);
    await request(server).get('/account/terms').expect(200, { terms: 'be nice' });
    await request(server).get('/account/me').set('Authentication-Token', token).expect(200, { email, displayName: 'Jane' });
    await request(server).get('/account/me').set('Cookie', sessionCookie).expect(200, { email, displayName: 'Jane' });
  });

  it('enforces roles: 403 without the role, 200 once granted', async () => {
    await request(server).get('/account/admin').set('Authentication-Token', token).expect(403);
    const users = app.get(UserDatastore);
    await users.findOrCreateRole('admin');
    await users.addRoleToUser((await users.findUser({ email }))!, 'admin');
    await request(server).get('/account/admin').set('Authentication-Token', token).expect(200, { admin: email });
    await request(server).get('/account/admin').set('Cookie', sessionCookie).expect(200, { admin: email });
  });

  it('answers 400 with field errors, not 500, for fields that are not strings', async () => {
    const bad = await request(server)
      .post(`${urlPrefix}/register`)
      .send({ email: { $ne: 1 }, password: 12345678 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_ERROR');
    expect(Object.keys(bad.body.errors).sort()).toEqual(['email', 'password']);
    const login = await request(server)
      .post(`${urlPrefix}/login`)
      .send({ email: [email], password: null });
    expect(login.status).toBe(400);
  });
});

describe("an app's own user entity, mapped wrongly, stops the start", () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await createTestDatabase()));
  afterAll(() => database?.drop());

  async function datastoreOn(entities: Function[], userEntity?: typeof AppUserClass) {
    const dataSource = await createSecurityDataSource({ url: database.url, entities }).initialize();
    try {
      return () => new TypeOrmUserDatastore(dataSource, userEntity);
    } finally {
      await dataSource.destroy();
    }
  }

  it("two classes on the user table (the shipped User and the app's)", async () => {
    const make = await datastoreOn([...securityEntities(), AppUserClass], AppUserClass);
    expect(make).toThrow(
      'User and AppUser both map the table "user"; list one class per table (entities: securityEntities({ userEntity: AppUser }))',
    );
  });

  it('the app maps its entity but forgot to tell the module', async () => {
    const make = await datastoreOn(securityEntities({ userEntity: AppUserClass }));
    expect(make).toThrow('the DataSource maps your user entity AppUser, but the module uses User: typeormStorage({ userEntity: AppUser })');
  });

  it('is content with one class per table, told to the module', async () => {
    const make = await datastoreOn(securityEntities({ userEntity: AppUserClass }), AppUserClass);
    expect(make).not.toThrow();
  });
});
