import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { TotpSecrets, TotpState } from '../../core/totp/index.js';
import { UsedTokenStore } from '../../storage/used-token-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

type TotpCore = typeof import('../../core/totp/index.js');

/** What an authenticator app needs to be set up (Flask-Security's fetch_setup_values). */
export interface AuthenticatorSetup {
  key: string;
  b32key: string;
  username: string;
  issuer: string;
  uri: string;
  /** The otpauth:// URI as a PNG QR code, a `data:` URI. */
  qrcode: string;
}

/**
 * The users' TOTP keys, in passlib's JSON (Flask-Security's tf_totp_secret),
 * encrypted with `totpSecrets`. `otpauth` and `qrcode` are optional peers:
 * they load on first use, so an app without two-factor never loads them.
 *
 * A code is accepted once: the time step it matched is recorded in the
 * UsedTokenStore (per user and key), so of concurrent uses of one code in
 * its window exactly one succeeds, and the steps before it are burnt too
 * (passlib's last_counter rule: nothing older than an accepted code).
 */
@Injectable()
export class TotpKeys {
  private core?: Promise<{ totp: TotpCore; secrets: TotpSecrets }>;

  constructor(
    private readonly used: UsedTokenStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** A fresh key, as the TOTP JSON to store (its key encrypted). */
  async newSecret(): Promise<string> {
    const { totp, secrets } = await this.load();
    return totp.totpStateToJson(totp.newTotpState(), secrets);
  }

  /** The stored JSON read back; `needsReencrypt` when an older TOTP secret tag (or none) encrypted it. */
  async read(json: string): Promise<TotpState & { needsReencrypt: boolean }> {
    const { totp, secrets } = await this.load();
    return totp.totpStateFromJson(json, secrets);
  }

  /** The same key encrypted under the newest tag. */
  async reencrypt(state: TotpState): Promise<string> {
    const { totp, secrets } = await this.load();
    return totp.totpStateToJson(state, secrets);
  }

  /**
   * The code to mail or text: the current step's, or (when that one was
   * used already, say at setup a moment ago) the next unused step's within
   * the validity, so the code sent is always one that will be accepted.
   */
  async codeToSend(user: SecurityUser, json: string, validitySeconds: number): Promise<string> {
    const { totp } = await this.load();
    const state = await this.read(json);
    const window = this.windowOf(state, validitySeconds);
    const now = Date.now();
    const counter = totp.totpCounter(state, now);
    for (let step = 0; step <= window; step++) {
      if (!(await this.used.isUsed(this.usedDigest(user, state, counter + step))))
        return totp.totpCode(state, now + step * state.period * 1000);
    }
    return totp.totpCode(state, now);
  }

  /** Key, URI and QR code for an authenticator app; the label is the username, else the email. */
  async authenticatorSetup(json: string, user: SecurityUser): Promise<AuthenticatorSetup> {
    const { totp } = await this.load();
    const state = await this.read(json);
    const username = (user.username || user.email).replace(/:/g, '');
    const issuer = this.options.totpIssuer.replace(/:/g, '');
    const uri = totp.totpUri(state, username, issuer);
    const qrcode = await toQrDataUri(uri);
    const key = totp.prettyTotpKey(state);
    return { key, b32key: key.replace(/-/g, ''), username, issuer, uri, qrcode };
  }

  /**
   * Checks a typed code against the key, `validitySeconds` either side of
   * now, and uses it up. False for a wrong code and for one already used.
   */
  async verify(user: SecurityUser, json: string, typed: string, validitySeconds: number): Promise<boolean> {
    const { totp } = await this.load();
    const state = await this.read(json);
    const window = this.windowOf(state, validitySeconds);
    const counter = totp.matchTotp(state, typed, { window });
    if (counter === null) return false;
    const digest = (step: number) => this.usedDigest(user, state, step);
    const expiresAt = new Date((counter + window + 2) * state.period * 1000);
    if (!(await this.used.consume(digest(counter), expiresAt))) return false;
    for (let step = counter - window; step < counter; step++) await this.used.consume(digest(step), expiresAt);
    return true;
  }

  private windowOf(state: TotpState, validitySeconds: number): number {
    return Math.max(0, Math.floor(validitySeconds / state.period));
  }

  /** What the UsedTokenStore remembers of an accepted step: per user and key, never the code. */
  private usedDigest(user: SecurityUser, state: TotpState, step: number): string {
    const keyId = createHash('sha256').update(state.key).digest('hex').slice(0, 16);
    return createHash('sha256').update(`tf-totp\0${user.id}\0${keyId}\0${step}`).digest('hex');
  }

  private load(): Promise<{ totp: TotpCore; secrets: TotpSecrets }> {
    this.core ??= import('../../core/totp/index.js').then((totp) => {
      if (!this.options.totpSecrets) throw new Error('nest-security: two-factor needs the totpSecrets option');
      return { totp, secrets: new totp.TotpSecrets(this.options.totpSecrets) };
    });
    return this.core;
  }
}

async function toQrDataUri(text: string): Promise<string> {
  const loaded = (await import('qrcode')) as unknown as { default?: QrCodeModule } & QrCodeModule;
  return (loaded.default ?? loaded).toDataURL(text, { errorCorrectionLevel: 'M' });
}

interface QrCodeModule {
  toDataURL(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): Promise<string>;
}
