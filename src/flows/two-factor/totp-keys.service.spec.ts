import { Secret, TOTP } from 'otpauth';
import { totpStateFromJson, TotpSecrets } from '../../core/totp/index.js';
import { MemoryUsedTokenStore } from '../../storage/memory/memory-used-token.store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { TotpKeys } from './totp-keys.service.js';

const options = { totpSecrets: { '1': 'unit test totp secret' }, totpIssuer: 'Unit: Test' } as unknown as ResolvedSecurityOptions;
const user = { id: 7, email: 'jane@example.com', username: null } as SecurityUser;

/** An independent authenticator on the stored JSON's key. */
async function appFor(json: string): Promise<TOTP> {
  const state = await totpStateFromJson(json, new TotpSecrets(options.totpSecrets!));
  return new TOTP({ secret: new Secret({ buffer: Uint8Array.from(state.key).buffer }) });
}

describe('TotpKeys', () => {
  it('stores new keys encrypted, and shows them as a pretty key, an otpauth URI and a PNG QR code', async () => {
    const keys = new TotpKeys(new MemoryUsedTokenStore(), options);
    const json = await keys.newSecret();
    expect(JSON.parse(json)).toMatchObject({ type: 'totp', v: 1, enckey: { t: '1' } });
    const setup = await keys.authenticatorSetup(json, user);
    expect(setup.key).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{1,4})+$/);
    expect(setup.b32key).toBe(setup.key.replace(/-/g, ''));
    // ':' would split the label: it is dropped from the issuer.
    expect(setup).toMatchObject({ username: 'jane@example.com', issuer: 'Unit Test' });
    expect(setup.uri).toBe(`otpauth://totp/Unit%20Test:jane@example.com?secret=${setup.b32key}&issuer=Unit%20Test`);
    expect(setup.qrcode).toMatch(/^data:image\/png;base64,/);
  });

  it('accepts a code once, and no earlier step after it', async () => {
    const keys = new TotpKeys(new MemoryUsedTokenStore(), options);
    const json = await keys.newSecret();
    const app = await appFor(json);
    const now = app.generate();
    const next = app.generate({ timestamp: Date.now() + 30_000 });
    expect(await keys.verify(user, json, '000000' === now ? '000001' : '000000', 30)).toBe(false);
    expect(await keys.verify(user, json, next, 30)).toBe(true);
    expect(await keys.verify(user, json, next, 30)).toBe(false);
    // The current step is older than the accepted one: burnt.
    expect(await keys.verify(user, json, now, 30)).toBe(false);
    // Another user's counters are their own.
    expect(await keys.verify({ ...user, id: 8 } as SecurityUser, json, now, 30)).toBe(true);
  });

  it('sends a code that will be accepted: the next step when the current one was used', async () => {
    const keys = new TotpKeys(new MemoryUsedTokenStore(), options);
    const json = await keys.newSecret();
    const app = await appFor(json);
    expect(await keys.codeToSend(user, json, 300)).toBe(app.generate());
    expect(await keys.verify(user, json, app.generate(), 300)).toBe(true);
    const sent = await keys.codeToSend(user, json, 300);
    expect(sent).toBe(app.generate({ timestamp: Date.now() + 30_000 }));
    expect(await keys.verify(user, json, sent, 300)).toBe(true);
  });
});
