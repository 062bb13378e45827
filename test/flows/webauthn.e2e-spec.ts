/**
 * Passkey routes over HTTP: what needs no authenticator (the browser suite,
 * test/browser/passkeys.e2e-spec.ts, runs the ceremonies in Chromium). The
 * relying party from appUrl, names cleaned and unique, wan_state signed,
 * bound to its step and user, single-use and expiring, bad credentials a
 * 400, the list and delete.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { WebAuthnCredentialStore } from '../../src/storage/webauthn-credential-store.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const PASSWORD = 'a long enough passphrase';

interface Browser {
  cookie: string;
  csrf: string;
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('passkey routes', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp({ webauthn: true, wanSigninWithin: 2 }, platform);
    });
    afterAll(() => flows?.close());

    const makeUser = async (): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      return flows.datastore.createUser({ email: `wan${++seq}@example.com`, password, confirmedAt: new Date() });
    };
    const signIn = async (user: SecurityUser): Promise<Browser> => {
      const answer = await request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
      return { cookie: cookiesOf(answer.headers['set-cookie'] as unknown as string[]), csrf: answer.body.csrf_token };
    };
    const post = (browser: Browser | null, path: string, body: object) => {
      const call = request(flows.server).post(`/auth${path}`);
      if (browser) call.set('Cookie', browser.cookie).set('X-XSRF-Token', browser.csrf);
      return call.send(body);
    };
    const seed = (user: SecurityUser, name: string, usage: 'first' | 'secondary' = 'first') =>
      flows.app.get(WebAuthnCredentialStore).add({
        userId: user.id,
        name,
        usage,
        credentialId: randomBytes(16),
        publicKey: randomBytes(77),
        signCount: 0,
        transports: ['internal'],
        backupState: false,
        deviceType: 'singleDevice',
        extensions: null,
      });

    it('needs a signed-in user to register, verify, delete or list', async () => {
      await post(null, '/wan-register', { name: 'x', usage: 'first' }).expect(401);
      await post(null, '/wan-verify', {}).expect(401);
      await post(null, '/wan-delete', { name: 'x' }).expect(401);
      await request(flows.server).get('/auth/wan-credentials').expect(401);
    });

    it('offers registration for appUrl as relying party, the user as its user, their passkeys excluded', async () => {
      const user = await makeUser();
      const existing = (await seed(user, 'old key'))!;
      const browser = await signIn(user);
      const answer = await post(browser, '/wan-register', { name: 'laptop', usage: 'first' }).expect(200);
      expect(answer.headers['cache-control']).toBe('no-store');
      const options = answer.body.credential_options;
      expect(options.rp).toEqual({ id: 'app.example.test', name: 'app.example.test' });
      expect(options.user.name).toBe(user.email);
      expect(options.excludeCredentials).toEqual([
        expect.objectContaining({ id: existing.credentialId.toString('base64url'), type: 'public-key' }),
      ]);
      expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'preferred' });
      expect(typeof answer.body.wan_state).toBe('string');
      const secondary = await post(browser, '/wan-register', { name: 'key fob', usage: 'secondary' }).expect(200);
      expect(secondary.body.credential_options.authenticatorSelection).toMatchObject({ userVerification: 'discouraged' });
      expect(secondary.body.credential_options.challenge).not.toBe(options.challenge);
      // The same user handle every time (Flask-Security's fs_webauthn_user_handle).
      expect(secondary.body.credential_options.user.id).toBe(options.user.id);
    });

    it('cleans names (NFKC, allowed characters, 64 at most) and keeps them unique per user', async () => {
      const user = await makeUser();
      await seed(user, 'Laptop')!;
      const browser = await signIn(user);
      for (const name of ['Ｌａｐｔｏｐ', '  Laptop  ']) {
        const taken = await post(browser, '/wan-register', { name, usage: 'first' }).expect(400);
        expect(taken.body.code).toBe('VALIDATION_ERROR');
        expect(taken.body.errors.name[0]).toMatch(/already the name/);
      }
      for (const name of ['<script>', 'a'.repeat(65), '   ']) {
        const bad = await post(browser, '/wan-register', { name, usage: 'first' }).expect(400);
        expect(bad.body.code).toBe('VALIDATION_ERROR');
      }
      await post(browser, '/wan-register', { name: 'Ünïcode key_2-b', usage: 'first' }).expect(200);
      await post(browser, '/wan-register', { name: 'x', usage: 'third' }).expect(400);
    });

    it("refuses a tampered wan_state, one of another step, and another user's", async () => {
      const [alice, bob] = [await makeUser(), await makeUser()];
      const [aliceBrowser, bobBrowser] = [await signIn(alice), await signIn(bob)];
      const credential = JSON.stringify({
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' },
      });
      const state = (await post(aliceBrowser, '/wan-register', { name: 'k', usage: 'first' }).expect(200)).body.wan_state as string;
      const tampered = await post(aliceBrowser, `/wan-register/${state.slice(0, -2)}xx`, { credential }).expect(400);
      expect(tampered.body.code).toBe('INVALID_TOKEN');
      const signinState = (await post(null, '/wan-signin', {}).expect(200)).body.wan_state as string;
      expect((await post(aliceBrowser, `/wan-register/${signinState}`, { credential }).expect(400)).body.code).toBe('INVALID_TOKEN');
      expect((await post(bobBrowser, `/wan-register/${state}`, { credential }).expect(400)).body.code).toBe('WEBAUTHN_FAILED');
      // Used once (by Bob's failed attempt): gone for Alice too.
      expect((await post(aliceBrowser, `/wan-register/${state}`, { credential }).expect(400)).body.code).toBe('INVALID_TOKEN');
    });

    it('answers malformed credentials with 400, never 500', async () => {
      const user = await makeUser();
      const browser = await signIn(user);
      for (const credential of [
        'not json',
        '{"response": 1}',
        '[]',
        '{"id": "AAAA", "response": {}}',
        42,
        { id: 'AAAA', response: {} },
        null,
      ]) {
        const state = (await post(browser, '/wan-register', { name: 'k', usage: 'first' }).expect(200)).body.wan_state;
        const answer = await post(browser, `/wan-register/${state}`, { credential });
        expect({ credential, status: answer.status }).toEqual({ credential, status: 400 });
      }
      const signinState = (await post(null, '/wan-signin', {}).expect(200)).body.wan_state;
      const unknown = {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' },
      };
      expect((await post(null, `/wan-signin/${signinState}`, { credential: JSON.stringify(unknown) }).expect(400)).body.code).toBe(
        'WEBAUTHN_FAILED',
      );
    });

    it('names allowed passkeys at sign-in only for a known identity, and only first-factor ones', async () => {
      const user = await makeUser();
      const first = (await seed(user, 'first key'))!;
      await seed(user, 'second key', 'secondary');
      const known = await post(null, '/wan-signin', { identity: user.email }).expect(200);
      expect(known.body.credential_options.allowCredentials).toEqual([
        expect.objectContaining({ id: first.credentialId.toString('base64url') }),
      ]);
      expect(known.body.credential_options.rpId).toBe('app.example.test');
      for (const body of [{}, { identity: 'nobody@example.com' }]) {
        const answer = await post(null, '/wan-signin', body).expect(200);
        expect(answer.body.credential_options.allowCredentials ?? []).toEqual([]);
      }
    });

    it('lets a sign-in challenge expire (wanSigninWithin)', async () => {
      const state = (await post(null, '/wan-signin', {}).expect(200)).body.wan_state;
      await new Promise((resolve) => setTimeout(resolve, 3100));
      const credential = JSON.stringify({ id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: {} });
      expect((await post(null, `/wan-signin/${state}`, { credential }).expect(400)).body.code).toBe('EXPIRED_TOKEN');
    });

    it('lists the caller’s passkeys and deletes one by name', async () => {
      const user = await makeUser();
      const other = await makeUser();
      await seed(user, 'laptop');
      await seed(other, 'laptop');
      const browser = await signIn(user);
      const listed = await request(flows.server).get('/auth/wan-credentials').set('Cookie', browser.cookie).expect(200);
      expect(listed.body.credentials).toEqual([
        expect.objectContaining({ name: 'laptop', usage: 'first', transports: ['internal'], device_type: 'singleDevice' }),
      ]);
      expect(JSON.stringify(listed.body)).not.toMatch(/public_?key/i);
      expect((await post(browser, '/wan-delete', { name: 'phone' }).expect(404)).body.code).toBe('WEBAUTHN_NAME_NOT_FOUND');
      await post(browser, '/wan-delete', { name: 'laptop' }).expect(200);
      expect((await request(flows.server).get('/auth/wan-credentials').set('Cookie', browser.cookie)).body.credentials).toEqual([]);
      expect(await flows.app.get(WebAuthnCredentialStore).listForUser(other.id)).toHaveLength(1);
      // A cookie session's state change needs its CSRF token.
      await request(flows.server).post('/auth/wan-delete').set('Cookie', browser.cookie).send({ name: 'laptop' }).expect(400);
    });
  });

  describe('with webauthn off (the default)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({}, platform);
    });
    afterAll(() => flows?.close());

    it('answers 404 on every passkey route', async () => {
      for (const path of ['/auth/wan-signin', '/auth/wan-register', '/auth/wan-verify', '/auth/wan-delete', '/auth/wan-signin/abc']) {
        expect((await request(flows.server).post(path).send({})).status).toBe(404);
      }
      expect((await request(flows.server).get('/auth/wan-credentials')).status).toBe(404);
    });
  });
});
