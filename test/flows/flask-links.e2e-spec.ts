import request from 'supertest';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { flask, FOREVER, insertFlaskUsers } from '../fixtures/flask-tokens.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('links mailed by Flask-Security 5.1.2 work here', () => {
    let flows: FlowsApp;
    // Each link costs a second of Flask's hash_data rounds, and only the HTTP layer differs between platforms:
    // every fixture user on the first platform, the one with a non-ASCII address on the other.
    const users = platform === TEST_PLATFORMS[0] ? flask.users : flask.users.filter((user) => /[^\x20-\x7e]/.test(user.email));

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          secretKey: flask.secretKey,
          passwordSalt: flask.passwordSalt,
          confirmEmailWithin: FOREVER,
          resetPasswordWithin: FOREVER,
        },
        platform,
      );
      // The rows a migrated Flask-Security users table holds.
      await insertFlaskUsers(flows.datastore, { confirmed: false });
    });
    afterAll(() => flows?.close());

    it.each(users.map((user) => [user.email, user] as const))('confirm link of %s', async (email, user) => {
      const answer = await request(flows.server).get(`/auth/confirm/${user.confirmToken}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
      expect((await flows.datastore.findUser({ email }))!.confirmedAt).toBeInstanceOf(Date);
    });

    it.each(users.map((user) => [user.email, user] as const))('reset link of %s', async (email, user) => {
      const row = (await flows.datastore.findUser({ email }))!;
      if (!row.confirmedAt) {
        row.confirmedAt = new Date();
        await flows.datastore.saveUser(row);
      }
      // (No sign-in first: rehash-on-login would change the password hash, which kills reset links, as in Flask-Security.)
      await request(flows.server).get(`/auth/reset/${user.resetToken}`).expect(200);
      const answer = await request(flows.server).post(`/auth/reset/${user.resetToken}`).send({ password: 'chosen after migration' });
      expect(answer.status).toBe(200);
      expect((await request(flows.server).post('/auth/login').send({ email, password: 'chosen after migration' })).status).toBe(200);
      const stale = await request(flows.server).post('/auth/login').send({ email, password: user.password });
      expect(stale.status).not.toBe(200);
      expect(stale.body.code).toBe('INVALID_CREDENTIALS');
      // Single use: the Flask link is now dead.
      expect((await request(flows.server).post(`/auth/reset/${user.resetToken}`).send({ password: 'yet another choice' })).status).toBe(
        400,
      );
    });
  });
});
