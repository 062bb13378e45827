/**
 * A person's walk through the demo's pages (DemoAppModule, on a test
 * PostgreSQL database, mail to the SMTP sink) in Debian's Chromium: every
 * step is a click or a keystroke on the pages, every link is opened from a
 * mail, the QR code is read off the screen as a phone reads it.
 *
 * Express walks the whole way: sign up, confirm, sign in, two-factor from
 * the QR code, sign out and in again with a code, end a session from a
 * second browser, a login link, a passkey, a password reset. Fastify walks
 * the other sign-ins: a code by email, and a passkey as second factor.
 *
 * SCREENSHOT_DIR=docs/screenshots (npm run screenshots) also saves each page.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type DemoApp, startDemoApp } from '../support/demo-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';
import { extractLink, type ReceivedMail } from '../support/smtp-sink.js';
import { addVirtualAuthenticator, HAS_CHROMIUM, launchChromium } from './chromium.js';

const PASSWORD = 'a long enough passphrase';
const NEW_PASSWORD = 'another long passphrase';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const VIEWPORT = { width: 1000, height: 800 };

// jsqr is CommonJS: its default export is the function, typed as the module.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const describeBrowser = HAS_CHROMIUM ? describe : describe.skip;

describeBrowser("the demo's pages in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    if (SCREENSHOT_DIR) mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(() => browser?.close());

  describe.each(TEST_PLATFORMS)('on %s', (platform) => {
    let demo: DemoApp;
    let origin: string;
    const contexts: BrowserContext[] = [];
    /** What went wrong inside the pages: uncaught errors, and anything the Content-Security-Policy blocked. */
    const pageProblems: string[] = [];

    beforeAll(async () => {
      demo = await startDemoApp(platform);
      origin = demo.origin;
    }, 60_000);
    afterAll(async () => {
      for (const context of contexts) await context.close();
      await demo?.close();
    });

    /** A browser profile of its own (cookies, passkeys), on a page with a virtual authenticator. */
    async function newBrowser(): Promise<Page> {
      const context = await browser.newContext({ viewport: VIEWPORT });
      contexts.push(context);
      // A step that does not happen fails fast, with the locator it waited for.
      context.setDefaultTimeout(5_000);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text())) pageProblems.push(`${page.url()}: ${message.text()}`);
      });
      await page.goto(`${origin}/demo`);
      await addVirtualAuthenticator(page);
      return page;
    }

    const open = (page: Page, path: string) => page.goto(`${origin}${path}`);
    const opened = new Set<ReceivedMail>();
    /** The next mail to `email` whose text has `marker`, not opened before. */
    async function mail(email: string, marker: string): Promise<ReceivedMail> {
      const found = await demo.sink.waitFor((m) => !opened.has(m) && m.to.includes(email) && m.text.includes(marker));
      opened.add(found);
      return found;
    }

    async function signUpAndConfirm(page: Page, email: string): Promise<void> {
      await open(page, '/demo/register');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Password again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Register' }).click();
      await statusSays(page, 'confirm');
      await screenshot(page, 'register');

      await page.goto(extractLink(await mail(email, '/auth/confirm/'), '/auth/confirm/'));
      await page.waitForURL(/\/demo\/confirmed/);
      await statusSays(page, 'Thank you');
      await screenshot(page, 'confirmed');
    }

    /** The password form of the sign-in page; resolves once the answer is shown (home, or the second step). */
    async function typePassword(page: Page, email: string, password = PASSWORD): Promise<void> {
      await open(page, '/demo/sign-in');
      const form = page.locator('#password');
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Sign in' }).click();
    }

    async function expectSignedIn(page: Page, email: string): Promise<void> {
      await page.waitForURL(`${origin}/demo`);
      await page.locator('#who', { hasText: `Signed in as ${email}` }).waitFor();
    }

    async function signOut(page: Page): Promise<void> {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${origin}/demo`);
      await page.locator('#who', { hasText: 'Not signed in' }).waitFor();
    }

    /** Two-factor page: an authenticator app set up from the QR code on the screen; returns the phone's TOTP. */
    async function setUpAuthenticator(page: Page): Promise<OTPAuth.TOTP> {
      await open(page, '/demo/two-factor');
      await page.getByText('Two-factor is off').waitFor();
      await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
      const qr = page.getByRole('img', { name: 'QR code of the authenticator key' });
      await qr.waitFor();
      await screenshot(page, 'two-factor');
      const totp = OTPAuth.URI.parse(await scanQrCode(page)) as OTPAuth.TOTP;
      expect(totp.issuer).toBe('nest-security demo');
      await page.getByLabel('Code', { exact: true }).fill(totp.generate());
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByText('Two-factor is on: an authenticator app.').waitFor();
      return totp;
    }

    /** Two-factor page: a new set of recovery codes, as shown on the screen. */
    async function makeRecoveryCodes(page: Page): Promise<string[]> {
      await page.getByRole('button', { name: 'Make new recovery codes' }).click();
      const codes = page.locator('#codes');
      await codes.waitFor();
      const list = (await codes.innerText()).split('\n').filter(Boolean);
      expect(list.length).toBeGreaterThan(1);
      return list;
    }

    async function addPasskey(page: Page, name: string, usage: 'to sign in on its own' | 'as a second factor only'): Promise<void> {
      await open(page, '/demo/passkeys');
      await page.getByText('You have no passkeys yet.').waitFor();
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Use it').selectOption({ label: usage });
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByRole('cell', { name, exact: true }).waitFor();
      await statusSays(page, `Added ${name}.`);
    }

    async function screenshot(page: Page, name: string): Promise<void> {
      if (SCREENSHOT_DIR && platform === 'express') await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
    }

    if (platform === 'express') {
      const email = 'walker@example.com';
      let first: Page;
      let totp: OTPAuth.TOTP;
      let recoveryCodes: string[];

      it('signs up on the register page and confirms the address from the mail', async () => {
        first = await newBrowser();
        const served = (await first.goto(`${origin}/demo/register`))!.headers();
        expect(served['content-type']).toBe('text/html; charset=utf-8');
        expect(served['cache-control']).toBe('no-store');
        expect(served['content-security-policy']).toContain("script-src 'self';");
        await signUpAndConfirm(first, email);
      });

      it('signs in with the password and sets up two-factor from the QR code, then makes recovery codes', async () => {
        await typePassword(first, email);
        await expectSignedIn(first, email);
        await screenshot(first, 'home');
        totp = await setUpAuthenticator(first);
        recoveryCodes = await makeRecoveryCodes(first);
      });

      it('signs out, then in again with the password and the code of the authenticator app', async () => {
        await signOut(first);
        await typePassword(first, email);
        await first.getByText('Type the code your authenticator app shows.').waitFor();
        await screenshot(first, 'sign-in-second-step');
        // The setup used this 30-second step's code, and a code is accepted once: the phone's next one.
        await first.getByLabel('Code', { exact: true }).fill(totp.generate({ timestamp: Date.now() + 30_000 }));
        await first.getByRole('button', { name: 'Verify' }).click();
        await expectSignedIn(first, email);
      });

      it('lists the sessions and ends the one of a second browser, which is then signed out', async () => {
        const second = await newBrowser();
        await typePassword(second, email);
        await second.getByLabel('Or a recovery code').fill(recoveryCodes[0]!);
        await second.getByRole('button', { name: 'Use the recovery code' }).click();
        await expectSignedIn(second, email);

        await open(first, '/demo/sessions');
        const rows = first.locator('#list tbody tr');
        await rows.nth(1).waitFor();
        expect(await rows.count()).toBe(2);
        await first.getByText('(this browser)').waitFor();
        await screenshot(first, 'sessions');
        await first.getByRole('button', { name: /^End the session of/ }).click();
        await statusSays(first, 'Ended the session of');
        await first.waitForFunction("document.querySelectorAll('#list tbody tr').length === 1");

        await second.reload();
        await second.locator('#who', { hasText: 'Not signed in' }).waitFor();
        expect((await second.goto(`${origin}/demo/me`))!.status()).toBe(401);
      });

      it('signs in with a login link from the mail', async () => {
        const second = await newBrowser();
        await open(second, '/demo/sign-in');
        await screenshot(second, 'sign-in');
        const form = second.locator('#link');
        await form.getByLabel('Email').fill(email);
        await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
        await statusSays(second, 'sign-in link');
        await second.goto(extractLink(await mail(email, '/auth/login/'), '/auth/login/'));
        await expectSignedIn(second, email);
      });

      it('adds a passkey on the passkeys page, signs out, signs in with it and reaches /demo/me', async () => {
        await addPasskey(first, 'My laptop', 'to sign in on its own');
        await screenshot(first, 'passkeys');
        await signOut(first);
        await open(first, '/demo/sign-in');
        await first.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await expectSignedIn(first, email);
        const me = await first.goto(`${origin}/demo/me`);
        expect(me!.status()).toBe(200);
        expect(await me!.json()).toMatchObject({ email });
      });

      it('resets the password from the mail, then signs in with the new one (and a recovery code)', async () => {
        await open(first, '/demo');
        await signOut(first);
        await open(first, '/demo/reset');
        await first.getByLabel('Email').fill(email);
        await first.getByRole('button', { name: 'Mail me a reset link' }).click();
        await statusSays(first, email);
        await screenshot(first, 'reset');

        await first.goto(extractLink(await mail(email, '/auth/reset/'), '/auth/reset/'));
        await first.getByLabel('New password', { exact: true }).waitFor();
        expect(first.url()).toBe(`${origin}/demo/reset`);
        await first.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
        await first.getByLabel('New password again').fill(NEW_PASSWORD);
        await first.getByRole('button', { name: 'Set the new password' }).click();
        await statusSays(first, 'Your password has been changed.');

        await typePassword(first, email, PASSWORD);
        await statusSays(first, 'Invalid credentials');
        await typePassword(first, email, NEW_PASSWORD);
        await first.getByLabel('Or a recovery code').fill(recoveryCodes[1]!);
        await first.getByRole('button', { name: 'Use the recovery code' }).click();
        await expectSignedIn(first, email);
      });
    } else {
      const email = 'fastwalker@example.com';
      let page: Page;

      it('signs up, confirms, and signs in with a code from the mail', async () => {
        page = await newBrowser();
        await signUpAndConfirm(page, email);
        await open(page, '/demo/sign-in');
        await page.locator('#us-send').getByLabel('Email').fill(email);
        await page.getByRole('button', { name: 'Email me a code' }).click();
        const code = /\b(\d{6})\b/.exec((await mail(email, 'us-verify-link')).text)![1]!;
        await page.getByLabel('Code from the mail').fill(code);
        await page.getByRole('button', { name: 'Sign in with the code' }).click();
        await expectSignedIn(page, email);
      });

      it('uses a second-factor passkey as the second step of a password sign-in', async () => {
        await addPasskey(page, 'Security key', 'as a second factor only');
        await setUpAuthenticator(page);
        await signOut(page);
        await typePassword(page, email);
        await page.getByRole('button', { name: 'Use a passkey' }).click();
        await expectSignedIn(page, email);
      });

      it('shows the session of this browser in the list, and signs out from it', async () => {
        await open(page, '/demo/sessions');
        await page.getByText('(this browser)').waitFor();
        expect(await page.locator('#list tbody tr').count()).toBe(1);
        await page.getByRole('button', { name: 'Sign out of this browser' }).click();
        await page.waitForURL(`${origin}/demo`);
        await page.locator('#who', { hasText: 'Not signed in' }).waitFor();
      });
    }

    it('ran every page without an uncaught error or anything its Content-Security-Policy blocked', () => {
      expect(pageProblems).toEqual([]);
    });
  });
});

/** The status line of the page says `text` (it changes after each answer of the API). */
async function statusSays(page: Page, text: string): Promise<void> {
  await page.locator('#status', { hasText: text }).waitFor();
}

/** The QR code's text, read from the pixels on the page as a phone's camera would. */
async function scanQrCode(page: Page): Promise<string> {
  // The image's pixels (RGBA), drawn into a canvas in the page, come back as base64.
  const { width, height, rgba } = await page.evaluate<{ width: number; height: number; rgba: string }>(`(() => {
    const image = document.querySelector('#qr');
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, rgba: btoa(binary) };
  })()`);
  const code = jsQR(new Uint8ClampedArray(Buffer.from(rgba, 'base64')), width, height, { inversionAttempts: 'dontInvert' });
  if (!code) throw new Error('no QR code in the image');
  return code.data;
}
