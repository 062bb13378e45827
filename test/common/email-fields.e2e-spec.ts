/**
 * The email rule as the HTTP API applies it: every `email` field refuses
 * what Flask-Security's email_validator refuses, and hands the flows the
 * normalised address, so it is stored and looked up in that form.
 */
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const PASSWORD = 'a long enough passphrase';

/** Addresses a header-injection or a lax parser would let through, each refused. */
const REFUSED = [
  '"jane"@example.com',
  '"jane\r\nBcc: eve@example.org"@example.com',
  'jane@example.com\r\nBcc: eve@example.org',
  'Jane <jane@example.com>',
  'jane@example.com,eve@example.org',
  'jane doe@example.com',
  'jane\ud800@example.com',
  'jane@[127.0.0.1]',
  'jane@localhost',
  'jane@ex_ample.com',
];

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('email fields (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      flows = await createFlowsApp({ returnGenericResponses: false, confirmable: false }, platform);
    });
    afterAll(() => flows?.close());

    it.each(REFUSED)('refuses %j with "Invalid email address" on register, reset and login', async (email) => {
      for (const [path, body] of [
        ['/auth/register', { email, password: PASSWORD }],
        ['/auth/reset', { email }],
        ['/auth/login', { email, password: PASSWORD }],
      ] as const) {
        const response = await request(flows.server).post(path).send(body);
        expect({ path, status: response.status, errors: response.body.errors }).toEqual({
          path,
          status: 400,
          errors: { email: ['Invalid email address'] },
        });
      }
    });

    it('register stores the normalised address; login and reset find it from another spelling', async () => {
      await request(flows.server).post('/auth/register').send({ email: 'Jane.Doe@Mail.EXAMPLE.com', password: PASSWORD }).expect(200);
      expect(await flows.datastore.findUser({ email: 'jane.doe@mail.example.com' })).toMatchObject({ email: 'Jane.Doe@mail.example.com' });

      // Full-width letters and dot: the same domain after IDNA mapping.
      const fullWidth = 'Jane.Doe@ｍａｉｌ．ｅｘａｍｐｌｅ．ｃｏｍ';
      await request(flows.server).post('/auth/login').send({ email: fullWidth, password: PASSWORD }).expect(200);
      await request(flows.server).post('/auth/reset').send({ email: fullWidth }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.subject === 'Password reset instructions');
      expect(mail.to).toEqual(['Jane.Doe@mail.example.com']);
    });

    it('the local part is NFC: a decomposed spelling finds the account', async () => {
      const hasher = flows.app.get(PasswordHasher);
      await flows.datastore.createUser({ email: 'jos\u00e9@example.com', password: await hasher.hash(PASSWORD), confirmedAt: new Date() });
      const response = await request(flows.server).post('/auth/login').send({ email: 'jose\u0301@Example.com', password: PASSWORD });
      expect(response.status).toBe(200);
      expect(response.body.user.email).toBe('jos\u00e9@example.com');
    });
  });
});
