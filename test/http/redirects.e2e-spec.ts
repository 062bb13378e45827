/**
 * Open-redirect safety of every route that takes a `next`, over real HTTP
 * on both platforms: each hostile value of HOSTILE_REDIRECTS (on the second
 * platform, HOSTILE_REDIRECTS_SAMPLE) gets exactly the answer the route
 * gives with no `next` at all (the default), and no Location ever resolves
 * off the site; safe values are followed.
 */
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { UsCodeService } from '../../src/flows/unified-signin/us-code.service.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { cookiesOf, createFlowsApp, FLOWS_APP_URL, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';
import { HOSTILE_REDIRECTS, HOSTILE_REDIRECTS_SAMPLE } from './hostile-redirects.js';

const PASSWORD = 'a long enough passphrase';
const NEW_PASSWORD = 'quite another passphrase 2';
const SPA_HOST = 'spa.example.test';

/** What a browser does with an answer: where it goes next, if anywhere. */
interface Answer {
  status: number;
  location: string | undefined;
}

/** A browser resolves a Location against the URL it asked for; it must stay on our host or the allowed one. */
function leavesSite(location: string | undefined, allowSubdomains: boolean): boolean {
  if (location === undefined) return false;
  if (/[\\\s]/.test(location) || location.startsWith('//')) return true;
  const url = new URL(location, `${FLOWS_APP_URL}/auth/route`);
  const ours = (host: string) => url.hostname === host || (allowSubdomains && url.hostname.endsWith(`.${host}`));
  return url.protocol !== 'https:' || url.username !== '' || url.port !== '' || !(ours('app.example.test') || ours(SPA_HOST));
}

/** The Location without what differs from one user or token to the next. */
function comparable(answer: Answer): Answer {
  if (!answer.location) return answer;
  const url = new URL(answer.location, FLOWS_APP_URL);
  url.searchParams.delete('token');
  const relative = !/^https?:/i.test(answer.location);
  return { status: answer.status, location: relative ? `${url.pathname}${url.search}` : url.href };
}

const answerOf = (response: request.Response): Answer => ({ status: response.status, location: response.headers.location });

interface Route {
  name: string;
  /** Sends the route's request with this `next` (undefined: none), as a browser would. */
  send(next: string | undefined): Promise<Answer>;
  /** The route redirects to a safe `next` (false: it carries it on, or ignores it). */
  follows: boolean;
  /** Answers the same in JSON and SPA mode (walked in JSON mode only). */
  modeless?: boolean;
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  // The whole list on the first platform; on the other, what its parsers could read differently.
  const hostile = platform === TEST_PLATFORMS[0] ? HOSTILE_REDIRECTS : HOSTILE_REDIRECTS_SAMPLE;
  const hostileName = hostile === HOSTILE_REDIRECTS ? 'every hostile next' : 'every hostile next of the sample';
  const setups: Array<[string, Partial<SecurityModuleOptions>]> = [
    ['JSON mode', { redirects: { postLogin: '/welcome' }, redirectAllowedHosts: [SPA_HOST] }],
    [
      'SPA mode, subdomains allowed',
      {
        redirectBehavior: 'spa',
        redirects: { postLogin: '/welcome', loginError: '/login-error', resetView: `https://${SPA_HOST}/reset`, postConfirm: '/confirmed' },
        redirectAllowedHosts: [SPA_HOST],
        redirectAllowSubdomains: true,
      },
    ],
  ];

  describe.each(setups)('%s', (mode, overrides) => {
    const spa = overrides.redirectBehavior === 'spa';
    const allowSubdomains = overrides.redirectAllowSubdomains === true;
    let flows: FlowsApp;
    let tokens: TokenFactory;
    let hash: string;
    let seq = 0;
    let routes: Route[];

    const makeUser = (confirmed = true): Promise<SecurityUser> =>
      flows.datastore.createUser({ email: `r${++seq}@example.com`, password: hash, confirmedAt: confirmed ? new Date() : null });

    /** `?next=` as a browser sends it (percent-encoded), or nothing. */
    const query = (next: string | undefined, first = true) =>
      next === undefined ? '' : `${first ? '?' : '&'}next=${encodeURIComponent(next)}`;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          passwordless: true,
          unifiedSignin: true,
          autoLoginAfterConfirm: true,
          limits: { perAccount: { max: 1000 }, perIp: { max: 100_000 } },
          ...overrides,
        },
        platform,
      );
      tokens = flows.app.get(TokenFactory);
      hash = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const loginUser = await makeUser();
      const resetUser = await makeUser();
      const resetToken = tokens.reset(resetUser);
      const codeUser = await makeUser();
      const codes = flows.app.get(UsCodeService);
      // A browser's form post carries the pre-session CSRF token of GET /csrf (login CSRF protection).
      const csrf = await request(flows.server).get('/auth/csrf');
      const form = { cookie: cookiesOf(csrf.headers['set-cookie']), token: csrf.body.csrf_token as string };

      routes = [
        {
          name: 'POST /login, form body next',
          follows: true,
          modeless: true,
          send: async (next) =>
            answerOf(
              await request(flows.server)
                .post('/auth/login')
                .type('form')
                .set('Cookie', form.cookie)
                .send({ email: loginUser.email, password: PASSWORD, csrf_token: form.token, ...(next === undefined ? {} : { next }) }),
            ),
        },
        {
          name: 'POST /login?next=, form body',
          follows: true,
          modeless: true,
          send: async (next) =>
            answerOf(
              await request(flows.server)
                .post(`/auth/login${query(next)}`)
                .type('form')
                .set('Cookie', form.cookie)
                .send({ email: loginUser.email, password: PASSWORD, csrf_token: form.token }),
            ),
        },
        {
          name: 'GET /login/:token?next=',
          follows: true,
          send: async (next) => {
            const token = tokens.login(await makeUser());
            return answerOf(
              await request(flows.server)
                .get(`/auth/login/${token}${query(next)}`)
                .set('Accept', 'text/html'),
            );
          },
        },
        {
          name: 'GET /us-verify-link?next=',
          follows: true,
          send: async (next) => {
            const code = await codes.issue(codeUser, 'signin');
            const link = `/auth/us-verify-link?email=${encodeURIComponent(codeUser.email)}&code=${code}${query(next, false)}`;
            return answerOf(await request(flows.server).get(link).set('Accept', 'text/html'));
          },
        },
        {
          name: 'GET /confirm/:token?next=',
          follows: true,
          send: async (next) => {
            const token = tokens.confirm(await makeUser(false));
            return answerOf(await request(flows.server).get(`/auth/confirm/${token}${query(next)}`));
          },
        },
        {
          name: 'GET /reset/:token?next=',
          follows: false,
          send: async (next) => answerOf(await request(flows.server).get(`/auth/reset/${resetToken}${query(next)}`)),
        },
        {
          name: 'POST /reset/:token, form body next',
          follows: true,
          modeless: true,
          send: async (next) => {
            const token = tokens.reset(await makeUser());
            const body = { password: NEW_PASSWORD, csrf_token: form.token, ...(next === undefined ? {} : { next }) };
            return answerOf(await request(flows.server).post(`/auth/reset/${token}`).type('form').set('Cookie', form.cookie).send(body));
          },
        },
        {
          name: 'POST /reset/:token?next=, form body',
          follows: true,
          modeless: true,
          send: async (next) => {
            const token = tokens.reset(await makeUser());
            return answerOf(
              await request(flows.server)
                .post(`/auth/reset/${token}${query(next)}`)
                .type('form')
                .set('Cookie', form.cookie)
                .send({ password: NEW_PASSWORD, csrf_token: form.token }),
            );
          },
        },
        {
          name: 'GET /change-email/:token?next=',
          follows: true,
          send: async (next) => {
            const user = await makeUser();
            const token = tokens.changeEmail(user, `new.${user.email}`);
            return answerOf(await request(flows.server).get(`/auth/change-email/${token}${query(next)}`));
          },
        },
      ];
    });
    afterAll(() => flows?.close());

    const linkRoutes = [
      'GET /login/:token?next=',
      'GET /us-verify-link?next=',
      'GET /confirm/:token?next=',
      'GET /reset/:token?next=',
      'GET /change-email/:token?next=',
    ];
    const formRoutes = [
      'POST /login, form body next',
      'POST /login?next=, form body',
      'POST /reset/:token, form body next',
      'POST /reset/:token?next=, form body',
    ];
    // The form posts answer alike in both modes: walked once, in JSON mode.
    const routeNames = spa ? linkRoutes : [...formRoutes, ...linkRoutes];
    const route = (name: string) => routes.find((each) => each.name === name)!;

    it('walks every route that takes a next', () => {
      expect(routes.filter((each) => !spa || !each.modeless).map((each) => each.name)).toEqual(expect.arrayContaining(routeNames));
      expect(routes.length).toBe(formRoutes.length + linkRoutes.length);
      expect(HOSTILE_REDIRECTS.length).toBeGreaterThanOrEqual(30);
      expect(hostile.length).toBeGreaterThanOrEqual(30);
    });

    it.each(routeNames)(`%s: ${hostileName} gets the default answer, and nothing leaves the site`, async (name) => {
      const { send } = route(name);
      const fallback = comparable(await send(undefined));
      expect(fallback.status).toBeLessThan(400);
      expect(leavesSite(fallback.location, allowSubdomains)).toBe(false);
      const wrong: Array<{ next: string; answer: Answer }> = [];
      for (const next of hostile) {
        const answer = await send(next);
        if (leavesSite(answer.location, allowSubdomains) || JSON.stringify(comparable(answer)) !== JSON.stringify(fallback)) {
          wrong.push({ next, answer });
        }
      }
      expect(wrong).toEqual([]);
    });

    it.each(routeNames)('%s: a safe next is followed (relative, our host, the allowed host)', async (name) => {
      const { send, follows } = route(name);
      const fallback = comparable(await send(undefined));
      const cases: Array<[string, string]> = [
        ['/dashboard?tab=2', '/dashboard?tab=2'],
        ['https://app.example.test/account', 'https://app.example.test/account'],
        [`https://${SPA_HOST}/after`, `https://${SPA_HOST}/after`],
      ];
      for (const [next, location] of cases) {
        const answer = await send(next);
        if (follows) expect({ next, answer }).toEqual({ next, answer: { status: 302, location } });
        else if (spa) {
          // The reset link carries next on to the reset view, for the POST that finishes the reset.
          expect(answer.status).toBe(302);
          expect(new URL(answer.location!).searchParams.get('next')).toBe(location);
        } else expect(comparable(answer)).toEqual(fallback);
      }
    });

    it.each(routeNames)('%s: a subdomain is followed only with redirectAllowSubdomains', async (name) => {
      const { send, follows } = route(name);
      const fallback = comparable(await send(undefined));
      const answer = await send('https://a.app.example.test/x');
      if (!allowSubdomains) expect(comparable(answer)).toEqual(fallback);
      else if (follows) expect(answer).toEqual({ status: 302, location: 'https://a.app.example.test/x' });
      else expect(new URL(answer.location!).searchParams.get('next')).toBe('https://a.app.example.test/x');
    });

    it('signs in before following next (login link, confirm with auto-login)', async () => {
      const viaLink = await request(flows.server)
        .get(`/auth/login/${tokens.login(await makeUser())}?next=%2Fdashboard`)
        .set('Accept', 'text/html');
      const viaConfirm = await request(flows.server).get(`/auth/confirm/${tokens.confirm(await makeUser(false))}?next=%2Fdashboard`);
      for (const followed of [viaLink, viaConfirm]) {
        expect(answerOf(followed)).toEqual({ status: 302, location: '/dashboard' });
        const me = await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(followed.headers['set-cookie']));
        expect(me.status).toBe(200);
      }
    });

    it('answers a JSON client with JSON, whatever its next', async () => {
      const user = await makeUser();
      const login = await request(flows.server)
        .post('/auth/login?next=%2Fdashboard')
        .send({ email: user.email, password: PASSWORD, next: '/x' });
      expect(login.status).toBe(200);
      expect(login.headers.location).toBeUndefined();
      expect(login.body.user.email).toBe(user.email);

      const link = await request(flows.server)
        .get(`/auth/login/${tokens.login(await makeUser())}?next=%2Fdashboard`)
        .set('Accept', 'application/json');
      expect({ status: link.status, code: link.body.code, location: link.headers.location }).toEqual({
        status: 200,
        code: 'LOGIN_SUCCESSFUL',
        location: undefined,
      });

      const reset = await request(flows.server)
        .post(`/auth/reset/${tokens.reset(await makeUser())}?next=%2Fdashboard`)
        .send({ password: NEW_PASSWORD, next: '/dashboard' });
      expect(reset.status).toBe(200);
      expect(reset.headers.location).toBeUndefined();
    });

    it('refuses a next of the wrong type with a field error, as any body field', async () => {
      const user = await makeUser();
      const answer = await request(flows.server)
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD, next: { url: '/x' } });
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    });

    it(`puts no email or identity in SPA redirects by default (${mode})`, async () => {
      const user = await makeUser(false);
      const answer = await request(flows.server).get(`/auth/confirm/${tokens.confirm(user)}`);
      if (!spa) return expect(answer.status).toBe(200);
      expect(answer.status).toBe(302);
      expect(answer.headers.location).not.toContain(encodeURIComponent(user.email));
      expect(new URL(answer.headers.location).searchParams.get('identity')).toBeNull();
    });
  });

  describe('redirectIncludeIdentity', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp(
        { passwordless: true, redirectBehavior: 'spa', redirectIncludeIdentity: true, redirects: { postLogin: '/welcome' } },
        platform,
      );
    });
    afterAll(() => flows?.close());

    it('puts the email and identity back in SPA redirects, as Flask-Security before 5.9', async () => {
      const user = await flows.datastore.createUser({ email: 'with.identity@example.com', username: 'withid', confirmedAt: null });
      const confirmed = await request(flows.server).get(`/auth/confirm/${flows.app.get(TokenFactory).confirm(user)}`);
      const params = new URL(confirmed.headers.location).searchParams;
      expect({ email: params.get('email'), identity: params.get('identity') }).toEqual({ email: user.email, identity: 'withid' });
    });
  });
});
