/**
 * SMTP down (issue 14): the flows answer as usual, the mail is retried in
 * the background, and the failure is logged without the link, the token or
 * the whole address. Real HTTP, real PostgreSQL, and an SMTP URL on a port
 * where nothing listens (the connection is refused, as when the relay is down).
 */
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { TotpKeys } from '../../src/flows/two-factor/totp-keys.service.js';
import { closedPort } from '../support/closed-port.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('with the SMTP relay down', () => {
    let flows: FlowsApp;
    const logged: string[] = [];
    let spies: Array<{ mockRestore(): void }> = [];

    beforeAll(async () => {
      // Nest's Logger is the app's log; reading what it is given is how an operator would see it.
      spies = (['warn', 'error'] as const).map((level) =>
        jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
          logged.push(String(args[0]));
        }),
      );
      const port = await closedPort();
      flows = await createFlowsApp(
        {
          mail: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'no-reply@example.com' },
          // The flows that mail codes too: two-factor, unified sign-in, sign-in links.
          twoFactor: true,
          totpSecrets: { '1': 'smtp-down-totp-secret-0123456789abcdef' },
          unifiedSignin: true,
          passwordless: true,
        },
        platform,
      );
    });
    /** Waits for the one error line that ends the retries of a template's mail. */
    async function failureLogged(template: string): Promise<void> {
      const deadline = Date.now() + 15_000;
      while (!logged.some((line) => line.includes(`Could not send "${template}"`)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(logged.filter((line) => line.includes(`Could not send "${template}"`))).toHaveLength(1);
    }
    afterAll(async () => {
      spies.forEach((spy) => spy.mockRestore());
      await flows?.close();
    });

    it('POST /reset answers as for any address; the mail is retried, then its failure logged without the link', async () => {
      const email = `smtp.down.${platform}@example.com`;
      await flows.datastore.createUser({ email, password: null, confirmedAt: new Date() });
      const known = await request(flows.server).post('/auth/reset').send({ email });
      const unknown = await request(flows.server)
        .post('/auth/reset')
        .send({ email: `nobody.${platform}@example.com` });
      expect(known.status).toBe(200);
      expect(unknown.status).toBe(200);
      expect(known.body.message).toBe(unknown.body.message.replace(`nobody.${platform}@example.com`, email));

      // Three tries with backoff (250 ms, 500 ms), then one error line.
      await failureLogged('reset_instructions');
      const lines = logged.filter((line) => line.includes('reset_instructions'));
      expect(lines.filter((line) => line.includes('retrying'))).toHaveLength(2);
      expect(lines.some((line) => line.includes('after 3 tries'))).toBe(true);
      for (const line of lines) {
        expect(line).not.toContain(email);
        expect(line).not.toMatch(/\/reset\/|token/i);
        expect(line).toContain('s***@example.com');
      }
    });

    it('register still answers 200 and the account exists, though its confirmation mail could not go', async () => {
      const email = `smtp.register.${platform}@example.com`;
      const response = await request(flows.server).post('/auth/register').send({ email, password: 'a long enough passphrase' });
      expect(response.status).toBe(200);
      expect(await flows.datastore.findUser({ email })).not.toBeNull();
      // Its mail is still being retried in the background: let it give up before the app closes.
      await failureLogged('welcome');
    });

    it('the flows that mail a code or a link answer as usual (never a 500); each failure is logged once', async () => {
      const email = `smtp.codes.${platform}@example.com`;
      const password = 'a long enough passphrase';
      const user = await flows.datastore.createUser({
        email,
        password: await flows.app.get(PasswordHasher).hash(password),
        confirmedAt: new Date(),
      });
      await flows.datastore.tfSet(user, 'email', await flows.app.get(TotpKeys).newSecret());

      // Two-factor by email: the sign-in waits for the code as usual; a rescue by email or help answers too.
      const signIn = await request(flows.server).post('/auth/login').send({ email, password });
      expect({ status: signIn.status, body: signIn.body }).toMatchObject({ status: 200, body: { tf_required: true, tf_method: 'email' } });
      const pending = cookiesOf(signIn.headers['set-cookie']);
      for (const help_setup of ['email', 'help']) {
        const rescue = await request(flows.server).post('/auth/tf-rescue').set('Cookie', pending).send({ help_setup });
        expect({ help_setup, status: rescue.status }).toEqual({ help_setup, status: 200 });
      }
      expect((await request(flows.server).post('/auth/us-signin/send-code').send({ identity: email, chosen_method: 'email' })).status).toBe(
        200,
      );
      expect((await request(flows.server).post('/auth/login-link').send({ email })).status).toBe(200);

      await failureLogged('two_factor_rescue');
      await failureLogged('us_code');
      await failureLogged('login_instructions');
      // The login's code and the rescue's: two mails of one template.
      const deadline = Date.now() + 15_000;
      const tfFailures = () => logged.filter((line) => line.includes('Could not send "two_factor_instructions"')).length;
      while (tfFailures() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(tfFailures()).toBe(2);
    });
  });
});
