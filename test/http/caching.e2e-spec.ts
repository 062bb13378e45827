/**
 * Caching headers over real HTTP on both platforms: every answer of the
 * module's routes (JSON, errors, redirects) says `Cache-Control: no-store`
 * and `Vary: Cookie`; the app's own routes say no-store when SecurityGuard
 * authenticated the request (and Vary: Cookie when by the session cookie),
 * and nothing when they are public.
 */
import { BadRequestException, Controller, Get } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import request from 'supertest';
import { AuthRequired, CurrentUser, Public } from '../../src/authn/decorators/index.js';
import { NoStoreInterceptor } from '../../src/http/index.js';
import type { Mailer } from '../../src/mail/mailer.js';
import { SecurityModule } from '../../src/security.module.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { type AuthnApp, basic, createAuthnApp } from '../support/authn-app.js';
import { cookiesOf } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

@Controller('app')
class AppRoutesController {
  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @AuthRequired('session', 'token', 'basic')
  @Get('mine')
  mine(@CurrentUser('email') email: string) {
    return { email };
  }

  @AuthRequired('session', 'token')
  @Get('fails')
  fails(): never {
    throw new BadRequestException('the app refused');
  }
}

const silentMailer: Mailer = { send: async () => undefined } as unknown as Mailer;

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a long enough passphrase';
  let authn: AuthnApp;
  let seq = 0;

  beforeAll(async () => {
    authn = await createAuthnApp(
      {
        options: {
          appUrl: 'https://app.example.test',
          recoverable: true,
          confirmable: true,
          passwordless: true,
          mailer: silentMailer,
          redirects: { postLogin: '/welcome' },
        },
        controllers: [AppRoutesController],
      },
      platform,
    );
  });
  afterAll(() => authn?.close());

  const newUser = async (confirmed = true) => {
    const user = await authn.createUser(`c${++seq}@example.com`, PASSWORD);
    return confirmed ? user : authn.datastore.saveUser(Object.assign(user, { confirmedAt: null }));
  };

  const headersOf = (answer: request.Response) => ({
    status: answer.status,
    cacheControl: answer.headers['cache-control'] as string | undefined,
    varyCookie: /(^|,)\s*cookie\s*(,|$)/i.test((answer.headers.vary as string | undefined) ?? ''),
  });

  it("keeps every kind of answer of the module's routes out of caches: JSON, errors, redirects", async () => {
    const user = await newUser();
    const signedIn = await authn.login(user.email, PASSWORD);
    const tokens = authn.app.get(TokenFactory);
    const server = authn.server;
    const other = await authn.login(user.email, PASSWORD);
    const preSession = await request(server).get('/auth/csrf');
    const answers: Array<[string, request.Response]> = [
      ['login', await request(server).post('/auth/login').send({ email: user.email, password: PASSWORD })],
      ['login, wrong password', await request(server).post('/auth/login').send({ email: user.email, password: 'not it at all' })],
      ['login, invalid body', await request(server).post('/auth/login').send({ email: 7 })],
      [
        'login form post, redirected',
        // A browser's form post carries the pre-session CSRF token (login CSRF).
        await request(server)
          .post('/auth/login?next=%2Fhome')
          .type('form')
          .set('Cookie', cookiesOf(preSession.headers['set-cookie']))
          .send({ email: user.email, password: PASSWORD, csrf_token: preSession.body.csrf_token }),
      ],
      ['csrf', await request(server).get('/auth/csrf').set('Cookie', signedIn.cookie)],
      ['me', await request(server).get('/auth/me').set('Cookie', signedIn.cookie)],
      ['me by token', await request(server).get('/auth/me').set('Authentication-Token', signedIn.token)],
      [
        'verify',
        await request(server).post('/auth/verify').set('Cookie', other.cookie).set('X-XSRF-Token', other.csrf).send({ password: PASSWORD }),
      ],
      ['tokens/revoke', await request(server).post('/auth/tokens/revoke').set('Authentication-Token', other.token).send({})],
      ['reset request', await request(server).post('/auth/reset').send({ email: user.email })],
      ['reset link, bad token', await request(server).get('/auth/reset/not.a.token')],
      ['reset link', await request(server).get(`/auth/reset/${tokens.reset(user)}`)],
      ['confirm link', await request(server).get(`/auth/confirm/${tokens.confirm(await newUser(false))}`)],
      [
        'login link, redirected',
        await request(server)
          .get(`/auth/login/${tokens.login(await newUser())}`)
          .set('Accept', 'text/html'),
      ],
      ['login link, used again', await request(server).get('/auth/login/bogus').set('Accept', 'application/json')],
      ['logout', await request(server).post('/auth/logout').set('Cookie', signedIn.cookie).set('X-XSRF-Token', signedIn.csrf).send({})],
    ];
    const statuses = Object.fromEntries(answers.map(([name, answer]) => [name, answer.status]));
    expect(statuses).toEqual({
      login: 200,
      'login, wrong password': 400,
      'login, invalid body': 400,
      'login form post, redirected': 302,
      csrf: 200,
      me: 200,
      'me by token': 200,
      verify: 200,
      'tokens/revoke': 200,
      'reset request': 200,
      'reset link, bad token': 400,
      'reset link': 200,
      'confirm link': 200,
      'login link, redirected': 302,
      'login link, used again': 400,
      logout: 200,
    });
    for (const [name, answer] of answers) {
      expect({ name, ...headersOf(answer) }).toEqual({ name, status: answer.status, cacheControl: 'no-store', varyCookie: true });
    }
  });

  it("keeps the app's authenticated answers out of caches (Vary: Cookie for the session), not its public ones", async () => {
    const user = await newUser();
    const { cookie, token } = await authn.login(user.email, PASSWORD);
    const get = (path: string) => request(authn.server).get(path);

    expect(headersOf(await get('/app/open'))).toEqual({ status: 200, cacheControl: undefined, varyCookie: false });
    expect(headersOf(await get('/app/mine'))).toEqual({ status: 401, cacheControl: undefined, varyCookie: false });
    expect(headersOf(await get('/app/mine').set('Cookie', cookie))).toEqual({ status: 200, cacheControl: 'no-store', varyCookie: true });
    expect(headersOf(await get('/app/mine').set('Authentication-Token', token))).toEqual({
      status: 200,
      cacheControl: 'no-store',
      varyCookie: false,
    });
    expect(headersOf(await get('/app/mine').set('Authorization', basic(user.email, PASSWORD)))).toEqual({
      status: 200,
      cacheControl: 'no-store',
      varyCookie: false,
    });
    // An error the app raises after authentication is just as private.
    expect(headersOf(await get('/app/fails').set('Cookie', cookie))).toEqual({ status: 400, cacheControl: 'no-store', varyCookie: true });
    expect(headersOf(await get('/app/fails').set('Authentication-Token', token))).toEqual({
      status: 400,
      cacheControl: 'no-store',
      varyCookie: false,
    });
  });

  it('binds NoStoreInterceptor on every controller of SecurityModule', () => {
    const controllers = authn.app
      .get(DiscoveryService)
      .getControllers()
      .filter((wrapper) => wrapper.host?.metatype === SecurityModule)
      .map((wrapper) => wrapper.metatype as object);
    expect(controllers.length).toBeGreaterThan(3);
    const unbound = controllers.filter((controller) => {
      const interceptors: unknown[] = Reflect.getMetadata(INTERCEPTORS_METADATA, controller) ?? [];
      return !interceptors.includes(NoStoreInterceptor);
    });
    expect(unbound.map((controller) => (controller as { name: string }).name)).toEqual([]);
  });
});
