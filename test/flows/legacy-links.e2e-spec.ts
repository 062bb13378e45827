import { readFileSync } from 'node:fs';
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { flaskBaseLegacyLinks, flaskBonesLegacyLinks } from '../../src/tokens/legacy-links.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

/** Links minted by itsdangerous 1.1 as flask-base and flask-bones mint them (scripts/make_flask_app_links.py). */
const links = JSON.parse(readFileSync(new URL('../fixtures/flask-app-links.json', import.meta.url), 'utf8')) as Record<string, string>;

const OLD_PASSWORD = 'password of the flask app';

/** Users 1..4 of the old app's table, with the ids its links name (a fresh table numbers them so). */
async function insertOldUsers(flows: FlowsApp): Promise<void> {
  const password = await flows.app.get(PasswordHasher).hash(OLD_PASSWORD);
  const rows = [
    { email: 'one@example.com', confirmedAt: null },
    { email: 'two@example.com', confirmedAt: null },
    { email: 'three@example.com', confirmedAt: new Date() },
    { email: 'four@example.com', confirmedAt: new Date() },
  ];
  for (const [index, row] of rows.entries()) {
    const user = await flows.datastore.createUser({ ...row, password });
    expect(user.id).toBe(index + 1);
  }
}

async function appWith(options: Partial<SecurityModuleOptions>, platform: (typeof TEST_PLATFORMS)[number]): Promise<FlowsApp> {
  const flows = await createFlowsApp(options, platform);
  await insertOldUsers(flows);
  return flows;
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('flask-base links (legacyLinks: flaskBaseLegacyLinks)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await appWith({ legacyLinks: flaskBaseLegacyLinks(links.secretKey) }, platform);
    });
    afterAll(() => flows?.close());

    it('an old confirm link confirms the user it names, once', async () => {
      const answer = await request(flows.server).get(`/auth/confirm/${links.confirm}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email: 'one@example.com' });
      expect((await flows.datastore.findUser({ id: 1 }))!.confirmedAt).toBeInstanceOf(Date);
      expect((await flows.datastore.findUser({ id: 2 }))!.confirmedAt).toBeNull();
      const again = await request(flows.server).get(`/auth/confirm/${links.confirm}`);
      expect(again.body.code).toBe('ALREADY_CONFIRMED');
    });

    it('an expired old confirm link says expired and confirms nobody', async () => {
      const answer = await request(flows.server).get(`/auth/confirm/${links.confirmExpired}`);
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'EXPIRED_TOKEN' });
      expect((await flows.datastore.findUser({ id: 2 }))!.confirmedAt).toBeNull();
    });

    it('a tampered old link, or one with alg none, is invalid', async () => {
      const [head, body, signature] = links.confirm.split('.');
      const otherUser = Buffer.from('{"confirm":2}').toString('base64url');
      const none = `${Buffer.from('{"alg":"none","iat":1,"exp":99999999999}').toString('base64url')}.${otherUser}.`;
      for (const token of [`${head}.${otherUser}.${signature}`, none, `${head}.${body}`]) {
        const answer = await request(flows.server).get(`/auth/confirm/${token}`);
        expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'INVALID_TOKEN' });
      }
      expect((await flows.datastore.findUser({ id: 2 }))!.confirmedAt).toBeNull();
    });

    it('an old confirm link does not reset a password (the payload names its purpose)', async () => {
      const answer = await request(flows.server)
        .post(`/auth/reset/${links.confirmForReset}`)
        .send({ password: 'not set by a confirm link' });
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'INVALID_TOKEN' });
    });

    it('an expired old reset link says expired', async () => {
      const answer = await request(flows.server).get(`/auth/reset/${links.resetExpired}`);
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'EXPIRED_TOKEN' });
    });

    it('an old reset link sets the password once', async () => {
      const check = await request(flows.server).get(`/auth/reset/${links.reset}`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ code: 'RESET_TOKEN_VALID', email: 'three@example.com' });
      const answer = await request(flows.server).post(`/auth/reset/${links.reset}`).send({ password: 'chosen through an old link' });
      expect(answer.status).toBe(200);
      const login = await request(flows.server)
        .post('/auth/login')
        .send({ email: 'three@example.com', password: 'chosen through an old link' });
      expect(login.status).toBe(200);
      const reuse = await request(flows.server).post(`/auth/reset/${links.reset}`).send({ password: 'a second use of the link' });
      expect({ status: reuse.status, code: reuse.body.code }).toEqual({ status: 400, code: 'INVALID_TOKEN' });
      expect((await request(flows.server).get(`/auth/reset/${links.reset}`)).body.code).toBe('INVALID_TOKEN');
      const stale = await request(flows.server)
        .post('/auth/login')
        .send({ email: 'three@example.com', password: 'a second use of the link' });
      expect(stale.status).not.toBe(200);
    });

    it('an old change-email link changes the address once', async () => {
      const answer = await request(flows.server).get(`/auth/change-email/${links.changeEmail}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ code: 'CHANGE_EMAIL_CONFIRMED', email: 'moved.flaskbase@example.com' });
      expect((await flows.datastore.findUser({ id: 4 }))!.email).toBe('moved.flaskbase@example.com');
      // Moved back by other means: the old link must not move it again.
      const user = (await flows.datastore.findUser({ id: 4 }))!;
      user.email = 'four@example.com';
      await flows.datastore.saveUser(user);
      const again = await request(flows.server).get(`/auth/change-email/${links.changeEmail}`);
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 400, code: 'INVALID_TOKEN' });
      expect((await flows.datastore.findUser({ id: 4 }))!.email).toBe('four@example.com');
    });

    it("the module's own links still work beside them", async () => {
      await request(flows.server).post('/auth/confirm').send({ email: 'two@example.com' }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes('two@example.com'));
      const token = /\/confirm\/([^\s"'<>]+)/.exec(mail.text)![1];
      expect((await request(flows.server).get(`/auth/confirm/${token}`)).body.code).toBe('EMAIL_CONFIRMED');
    });
  });

  describe('flask-bones links (legacyLinks: flaskBonesLegacyLinks)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await appWith({ legacyLinks: flaskBonesLegacyLinks(links.secretKey) }, platform);
    });
    afterAll(() => flows?.close());

    it('an old verification link confirms the user', async () => {
      const answer = await request(flows.server).get(`/auth/confirm/${links.bonesVerify}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email: 'two@example.com' });
      expect((await flows.datastore.findUser({ id: 2 }))!.confirmedAt).toBeInstanceOf(Date);
    });

    it('is not a reset link', async () => {
      const answer = await request(flows.server).get(`/auth/reset/${links.bonesVerify}`);
      expect(answer.body.code).toBe('INVALID_TOKEN');
    });
  });

  describe('without legacyLinks (the default)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await appWith({}, platform);
    });
    afterAll(() => flows?.close());

    it('old links are invalid', async () => {
      for (const path of [
        `confirm/${links.confirm}`,
        `confirm/${links.bonesVerify}`,
        `reset/${links.reset}`,
        `change-email/${links.changeEmail}`,
      ]) {
        const answer = await request(flows.server).get(`/auth/${path}`);
        expect({ path, status: answer.status, code: answer.body.code }).toEqual({ path, status: 400, code: 'INVALID_TOKEN' });
      }
      expect((await flows.datastore.findUser({ id: 1 }))!.confirmedAt).toBeNull();
    });
  });
});
