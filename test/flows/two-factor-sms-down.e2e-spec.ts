/**
 * An SMS provider that is down: wherever a second-factor code goes out by
 * SMS (sign-in, setup), the answer is 503 SMS_UNAVAILABLE, never a 500, and
 * a pending sign-in is kept, so the user can have the code mailed instead
 * (/tf-rescue) or sign in again once the provider is back. The SmsSender is
 * the app's code: here one that posts to an HTTP API, which is down (a
 * closed port on this machine) until the test brings it up.
 */
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { SmsSender } from '../../src/mail/sms/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { closedPort } from '../support/closed-port.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const PASSWORD = 'a long enough passphrase';
const TOTP_SECRETS = { '1': 'sms-down-totp-secret-0123456789abcdef' };

/**
 * An SMS gateway's HTTP API, as an app would call it. `gateway`: 'up'
 * delivers (recorded here); 'refused' is a host that refuses the connection
 * (fetch rejects, ECONNREFUSED as its cause); 'failing' a gateway that
 * answers 500 (the app's code throws on it).
 */
class HttpSmsSender extends SmsSender {
  gateway: 'up' | 'refused' | 'failing' = 'up';
  readonly delivered: Array<{ to: string; message: string }> = [];

  constructor(private readonly ports: () => { refused: number; failing: number }) {
    super();
  }

  async send(to: string, message: string): Promise<void> {
    if (this.gateway !== 'up') {
      const answer = await fetch(`http://127.0.0.1:${this.ports()[this.gateway]}/messages`, {
        method: 'POST',
        body: JSON.stringify({ to, message }),
      });
      if (!answer.ok) throw new Error(`the SMS gateway answered ${answer.status} for ${to}`);
    }
    this.delivered.push({ to, message });
  }

  lastCode(to: string): string | undefined {
    return [...this.delivered]
      .reverse()
      .find((sms) => sms.to === to)
      ?.message.match(/\b\d{6}\b/)?.[0];
  }
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('two-factor codes by SMS with the SMS provider down (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    const ports = { refused: 0, failing: 0 };
    const sms = new HttpSmsSender(() => ports);
    // A gateway that is there but broken: every request gets a 500.
    const failingGateway: HttpServer = createHttpServer((_request, response) => response.writeHead(500).end());
    const logged: string[] = [];
    let spies: Array<{ mockRestore(): void }> = [];
    let seq = 0;

    beforeAll(async () => {
      ports.refused = await closedPort();
      await new Promise<void>((resolve) => failingGateway.listen(0, '127.0.0.1', resolve));
      ports.failing = (failingGateway.address() as AddressInfo).port;
      spies = (['warn', 'error'] as const).map((level) =>
        jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
          logged.push(String(args[0]));
        }),
      );
      flows = await createFlowsApp(
        {
          twoFactor: true,
          totpSecrets: TOTP_SECRETS,
          twoFactorEnabledMethods: ['authenticator', 'email', 'sms'],
          smsSender: sms,
          limits: { perIp: { max: 10_000 } },
        },
        platform,
      );
    });
    afterAll(async () => {
      spies.forEach((spy) => spy.mockRestore());
      await flows?.close();
      await new Promise((resolve) => failingGateway.close(resolve));
    });
    afterEach(() => {
      sms.gateway = 'up';
    });

    const makeUser = async (): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      return flows.datastore.createUser({ email: `sms.down${++seq}.${platform}@example.com`, password, confirmedAt: new Date() });
    };
    const login = (user: SecurityUser) => request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD });

    /** Sets up SMS as the user's second factor while the provider is up; signs out again. */
    const setUpSms = async (user: SecurityUser, phone: string) => {
      const signedIn = await login(user).expect(200);
      const cookie = cookiesOf(signedIn.headers['set-cookie']);
      const csrf = signedIn.body.csrf_token as string;
      const post = (path: string) => request(flows.server).post(path).set('Cookie', cookie).set('X-XSRF-Token', csrf);
      const started = await post('/auth/tf-setup').send({ setup: 'sms', phone }).expect(200);
      await post(`/auth/tf-setup/${started.body.tf_state_token}`)
        .send({ code: sms.lastCode(phone)! })
        .expect(200);
      await post('/auth/logout').send({}).expect(200);
    };

    function expectSmsUnavailable(answer: request.Response): void {
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 503,
        body: { statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/SMS/), code: 'SMS_UNAVAILABLE' },
      });
    }

    it('sign-in: 503 SMS_UNAVAILABLE, the pending sign-in kept; a code by email finishes it', async () => {
      const user = await makeUser();
      const phone = `+1555010${String(seq).padStart(4, '0')}`;
      await setUpSms(user, phone);

      sms.gateway = 'refused';
      const failed = await login(user);
      expectSmsUnavailable(failed);
      const pending = cookiesOf(failed.headers['set-cookie']);
      expect(pending).not.toBe('');
      // The log names the user, not the number or the code.
      const line = logged.find((each) => each.includes(`SMS code to user ${user.id}`));
      expect(line).toMatch(/ECONNREFUSED: fetch failed/);
      expect(line).not.toContain(phone);

      const seen = flows.sink.messages.length;
      await request(flows.server).post('/auth/tf-rescue').set('Cookie', pending).send({ help_setup: 'email' }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(user.email) && flows.sink.messages.indexOf(m) >= seen);
      const code = /code is: (\d{6})/.exec(mail.text)![1]!;
      const signedIn = await request(flows.server).post('/auth/tf-validate').set('Cookie', pending).send({ code });
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user).toMatchObject({ id: user.id });
    });

    it('sign-in with a gateway answering 500: the same 503; once it is back, signing in again sends the code', async () => {
      const user = await makeUser();
      const phone = `+1555020${String(seq).padStart(4, '0')}`;
      await setUpSms(user, phone);
      sms.gateway = 'failing';
      expectSmsUnavailable(await login(user));
      const line = logged.find((each) => each.includes(`SMS code to user ${user.id}`));
      expect(line).toContain('the SMS gateway answered 500 for ***');

      sms.gateway = 'up';
      const retried = await login(user);
      expect(retried.body).toMatchObject({ tf_required: true, tf_method: 'sms' });
      await request(flows.server)
        .post('/auth/tf-validate')
        .set('Cookie', cookiesOf(retried.headers['set-cookie']))
        .send({ code: sms.lastCode(phone)! })
        .expect(200);
    });

    it('setup: 503 SMS_UNAVAILABLE and nothing stored', async () => {
      const user = await makeUser();
      const signedIn = await login(user).expect(200);
      sms.gateway = 'failing';
      const answer = await request(flows.server)
        .post('/auth/tf-setup')
        .set('Cookie', cookiesOf(signedIn.headers['set-cookie']))
        .set('X-XSRF-Token', signedIn.body.csrf_token as string)
        .send({ setup: 'sms', phone: '+15550300000' });
      expectSmsUnavailable(answer);
      expect(await flows.datastore.findUser({ id: user.id })).toMatchObject({ tfPrimaryMethod: null });
    });
  });
});
