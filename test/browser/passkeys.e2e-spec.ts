/**
 * Passkeys in a real browser against the demo (DemoAppModule on
 * http://localhost:<port>, its appUrl): Debian's Chromium with Chrome's
 * virtual authenticator, a page at the demo's own origin calling the JSON
 * API with the CSRF token, as a single page app does. Register after a
 * password sign-in, sign out, sign in with the passkey alone
 * (usernameless), reach /demo/me; a replayed assertion fails, and so does
 * the second of one assertion sent twice at once; another user's passkey
 * cannot re-authenticate a session.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { TotpKeys } from '../../src/flows/two-factor/totp-keys.service.js';
import { type DemoApp, startDemoApp } from '../support/demo-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';
import { addVirtualAuthenticator, AUTHENTICATOR, HAS_CHROMIUM, launchChromium } from './chromium.js';
import { PASSKEY_PAGE } from './passkey-page.js';

const PASSWORD = 'a long enough passphrase';

interface Answer {
  status: number;
  /** An /auth answer (`user` after a sign-in), or /demo/me's (`email`). */
  body: Record<string, unknown> & { code?: string; user?: { email: string }; email?: string };
}

const describeBrowser = HAS_CHROMIUM ? describe : describe.skip;

describeBrowser.each(TEST_PLATFORMS)('passkeys in Chromium, on %s', (platform) => {
  let demo: DemoApp;
  let browser: Browser;
  let origin: string;
  let seq = 0;
  /** Users two-factor applies to (switched on after they registered a passkey). */
  const needsTwoFactor = new Set<string>();

  beforeAll(async () => {
    demo = await startDemoApp(platform, { twoFactorRequiredFor: (user) => needsTwoFactor.has(user.email) });
    origin = demo.origin;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  async function newUser(): Promise<string> {
    const email = `passkey${++seq}-${platform}@example.com`;
    const password = await demo.app.get(PasswordHasher).hash(PASSWORD);
    await demo.datastore.createUser({ email, password, confirmedAt: new Date() });
    return email;
  }

  /** A fresh browser profile with its own authenticator, on the test page (served at the demo's origin). */
  async function openPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const pageUrl = `${origin}/passkey-test-page`;
    await context.route(pageUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: PASSKEY_PAGE }));
    const page = await context.newPage();
    await page.goto(pageUrl);
    authenticators.set(page, await addVirtualAuthenticator(page));
    return { context, page };
  }

  const authenticators = new Map<Page, Awaited<ReturnType<typeof addVirtualAuthenticator>>>();
  const authenticatorOf = (page: Page) => authenticators.get(page)!;

  const call = <T = Answer>(page: Page, script: string): Promise<T> => page.evaluate(script) as Promise<T>;
  const signInWithPassword = (page: Page, email: string) =>
    call(page, `signInWithPassword(${JSON.stringify(email)}, ${JSON.stringify(PASSWORD)})`);

  /** Signs in with the password, registers a passkey (by default one that signs in on its own), signs out; the user's credential ids. */
  async function addPasskeyAndSignOut(page: Page, email: string, name = 'key', usage: 'first' | 'secondary' = 'first'): Promise<string[]> {
    expect((await signInWithPassword(page, email)).status).toBe(200);
    expect((await call(page, `registerPasskey(${JSON.stringify(name)}, '${usage}')`)).status).toBe(200);
    const { credentials } = (await call(page, `api('GET', '/wan-credentials')`)).body as { credentials: Array<{ credential_id: string }> };
    await call(page, 'signOut()');
    return credentials.map((each) => each.credential_id);
  }

  it('registers a passkey after a password sign-in, then signs in with it alone and reaches /demo/me', async () => {
    const email = await newUser();
    const { context, page } = await openPage();
    try {
      expect((await signInWithPassword(page, email)).status).toBe(200);
      const registered = await call(page, `registerPasskey('My laptop', 'first')`);
      expect(registered).toEqual({ status: 200, body: { name: 'My laptop', usage: 'first' } });
      const listed = await call(page, `api('GET', '/wan-credentials')`);
      expect(listed.body.credentials).toEqual([expect.objectContaining({ name: 'My laptop', usage: 'first' })]);

      expect((await call(page, 'signOut()')).status).toBe(200);
      expect((await call(page, 'me()')).status).toBe(401);

      const signedIn = await call(page, 'signInWithPasskey()');
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user?.email).toBe(email);
      const reached = await call(page, 'me()');
      expect(reached.status).toBe(200);
      expect(reached.body.email).toBe(email);
      expect(await page.textContent('#who')).toBe(email);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a replayed assertion: with its used wan_state, and with a new one', async () => {
    const email = await newUser();
    const { context, page } = await openPage();
    try {
      await addPasskeyAndSignOut(page, email);
      const first = await call<Answer & { used: { state: string; credential: unknown } }>(page, 'signInWithPasskey()');
      expect(first.status).toBe(200);
      await call(page, 'signOut()');
      await call(page, 'refreshCsrf()');
      const { state, credential } = first.used;

      const sameState = await call(page, `api('POST', '/wan-signin/${state}', { credential: ${JSON.stringify(credential)} })`);
      expect(sameState).toMatchObject({ status: 400, body: { code: 'INVALID_TOKEN' } });

      const fresh = await call<Answer>(page, `api('POST', '/wan-signin', {})`);
      const newState = await call(
        page,
        `api('POST', '/wan-signin/${String(fresh.body.wan_state)}', { credential: ${JSON.stringify(credential)} })`,
      );
      expect(newState).toMatchObject({ status: 400, body: { code: 'WEBAUTHN_FAILED' } });
      expect((await call(page, 'me()')).status).toBe(401);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('signs in once when one assertion is sent twice at once: the other is refused as a used wan_state', async () => {
    const email = await newUser();
    const { context, page } = await openPage();
    try {
      await addPasskeyAndSignOut(page, email);
      await call(page, 'refreshCsrf()');
      const { state, credential } = await call<{ state: string; credential: unknown }>(page, `assertion('/wan-signin', {})`);

      const answers = await call<Answer[]>(
        page,
        `twiceAtOnce('POST', '/wan-signin/${state}', { credential: ${JSON.stringify(credential)} })`,
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
      expect(answers.find((answer) => answer.status === 200)!.body.user?.email).toBe(email);
      expect(answers.find((answer) => answer.status === 400)!.body.code).toBe('INVALID_TOKEN');

      expect((await call(page, 'me()')).body.email).toBe(email);
      expect((await call(page, `api('GET', '/sessions')`)).body.sessions).toHaveLength(1);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a cloned authenticator, whose sign counter lags behind the one stored', async () => {
    const email = await newUser();
    const { context, page } = await openPage();
    try {
      const { cdp, authenticatorId } = authenticatorOf(page);
      await addPasskeyAndSignOut(page, email);
      expect((await call(page, 'signInWithPasskey()')).status).toBe(200);
      await call(page, 'signOut()');
      // The same key in another authenticator, its counter back at 0: a copy.
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      const clone = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
      await cdp.send('WebAuthn.addCredential', {
        authenticatorId: clone.authenticatorId,
        credential: { ...credentials[0]!, signCount: 0 },
      });
      expect(await call(page, 'signInWithPasskey()')).toMatchObject({ status: 400, body: { code: 'WEBAUTHN_COUNTER' } });
      expect((await call(page, 'me()')).status).toBe(401);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('sends a passkey that did not verify its user through two-factor; one that did signs in directly', async () => {
    const email = await newUser();
    const { context, page } = await openPage();
    try {
      // An authenticator that cannot verify its user (no PIN, no biometrics).
      const { cdp, authenticatorId: verifying } = authenticatorOf(page);
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: verifying });
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { ...AUTHENTICATOR, hasUserVerification: false, isUserVerified: false },
      });
      await addPasskeyAndSignOut(page, email);
      needsTwoFactor.add(email);

      // (Chromium asks a discoverable-credential request for user verification: name the account.)
      const withoutUv = await call(page, `signInWithPasskey(${JSON.stringify(email)})`);
      expect(withoutUv).toMatchObject({ status: 200, body: { tf_required: true } });
      expect(withoutUv.body.user).toBeUndefined();
      expect((await call(page, 'me()')).status).toBe(401);

      // The same passkey in an authenticator that verifies its user.
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      const uv = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
      await cdp.send('WebAuthn.addCredential', { authenticatorId: uv.authenticatorId, credential: credentials[0]! });
      const withUv = await call(page, 'signInWithPasskey()');
      expect(withUv.status).toBe(200);
      expect(withUv.body.user?.email).toBe(email);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("serves as the second factor of a pending sign-in: the user's own passkey, never another user's", async () => {
    const [alice, mallory] = [await newUser(), await newUser()];
    const { context, page } = await openPage();
    try {
      const mallorys = await addPasskeyAndSignOut(page, mallory, 'mallory', 'secondary');
      const alices = await addPasskeyAndSignOut(page, alice, 'alice', 'secondary');
      // Alice sets up two-factor (email codes).
      const user = (await demo.datastore.findUser({ email: alice }))!;
      await demo.datastore.tfSet(user, 'email', await demo.app.get(TotpKeys).newSecret());

      // A second-factor passkey alone signs nobody in.
      await call(page, 'refreshCsrf()');
      const alone = await call<{ state: string; credential: unknown }>(
        page,
        `assertion('/wan-signin', {}, ${JSON.stringify([alices[0]!])})`,
      );
      expect(
        await call(page, `api('POST', '/wan-signin/${alone.state}', { credential: ${JSON.stringify(alone.credential)} })`),
      ).toMatchObject({ status: 400, body: { code: 'WEBAUTHN_FAILED' } });

      const pending = await signInWithPassword(page, alice);
      expect(pending).toMatchObject({ status: 200, body: { tf_required: true } });
      const foreign = await call<{ state: string; credential: unknown }>(
        page,
        `assertion('/wan-signin', {}, ${JSON.stringify([mallorys[0]!])})`,
      );
      const refused = await call(
        page,
        `api('POST', '/wan-signin/${foreign.state}', { credential: ${JSON.stringify(foreign.credential)} })`,
      );
      expect(refused).toMatchObject({ status: 400, body: { code: 'WEBAUTHN_FAILED' } });
      expect((await call(page, 'me()')).status).toBe(401);

      const own = await call(page, 'signInWithPasskey()');
      expect(own.status).toBe(200);
      expect(own.body.user?.email).toBe(alice);
      expect((await call(page, 'me()')).body.email).toBe(alice);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("re-authenticates a session with the user's own passkey, never with another user's (GHSA-f66q-9rf6-8795)", async () => {
    const [alice, mallory] = [await newUser(), await newUser()];
    // One browser, one authenticator holding a passkey of each.
    const { context, page } = await openPage();
    try {
      const mallorys = await addPasskeyAndSignOut(page, mallory, 'mallory');

      await signInWithPassword(page, alice);
      expect((await call(page, `registerPasskey('alice', 'first')`)).status).toBe(200);

      // Alice's challenge, signed by Mallory's valid passkey.
      const foreign = await call(page, `verifyWithPasskey(${JSON.stringify([mallorys[0]!])})`);
      expect(foreign).toMatchObject({ status: 400, body: { code: 'WEBAUTHN_FAILED' } });

      const own = await call(page, 'verifyWithPasskey()');
      expect(own.status).toBe(200);
      expect(own.body.user?.email).toBe(alice);
    } finally {
      await context.close();
    }
  }, 60_000);
});
