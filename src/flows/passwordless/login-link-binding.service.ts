import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { serializeCookie } from '../../authn/session/cookies.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { timingSafeEqualStrings } from '../../core/signing/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { tokenDigest } from '../../tokens/one-time-token.service.js';

/** Links a browser may have pending at once; asking for more forgets the oldest. */
const MAX_BINDINGS = 5;
const ENTRY = /^[A-Za-z0-9_-]{22}$/;

/**
 * `passwordlessBindToBrowser`: a login link works only in the browser that
 * asked for it.
 *
 * The link itself stays Flask-Security's `[fs_uniquifier]` token. What binds
 * it is an HttpOnly cookie set on the answer to POST /login-link, holding a
 * 128-bit HMAC (keyed by the secret key) of the token's canonical digest, up
 * to five of them for five pending links. GET /login/:token recomputes the
 * HMAC of the presented token and needs it in the cookie. Nothing is stored
 * server-side, so asking for a link costs the same whether or not the
 * account exists (the cookie is set either way). Someone who reads the mail
 * but not the browser's cookies cannot use the link; a link opened in
 * another browser (or a mail app's own browser) is refused without being
 * used up, and the user can ask again from there.
 */
@Injectable()
export class LoginLinkBinding {
  readonly cookieName: string;
  private readonly keys: Buffer[];

  constructor(@Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions) {
    this.cookieName = `${options.session.cookieName}_login_link`;
    // One derived key per secret key: all verify, the newest (last) binds, as with tokens.
    this.keys = options.secretKeys.map((key) => createHmac('sha256', key).update('nest-security:login-link-binding').digest());
  }

  get enabled(): boolean {
    return this.options.passwordlessBindToBrowser;
  }

  /** Adds the token to the browser's bindings (the newest MAX_BINDINGS are kept). */
  bind(request: RequestContext, response: ResponseContext, token: string): void {
    const entries = this.entries(request).slice(-(MAX_BINDINGS - 1));
    entries.push(this.mac(this.keys[this.keys.length - 1]!, token));
    this.write(response, entries);
  }

  /** Whether the request's browser asked for this token. Constant time over the entries. */
  matches(request: RequestContext, token: string): boolean {
    const entries = this.entries(request);
    let found = false;
    for (const key of this.keys) {
      const expected = this.mac(key, token);
      for (const entry of entries) found = timingSafeEqualStrings(entry, expected) || found;
    }
    return found;
  }

  /** Forgets a used token's binding. */
  release(request: RequestContext, response: ResponseContext, token: string): void {
    const macs = new Set(this.keys.map((key) => this.mac(key, token)));
    const before = this.entries(request);
    const after = before.filter((entry) => !macs.has(entry));
    if (after.length !== before.length) this.write(response, after);
  }

  private entries(request: RequestContext): string[] {
    const value = request.cookie(this.cookieName);
    return value
      ? value
          .split('.')
          .filter((entry) => ENTRY.test(entry))
          .slice(-MAX_BINDINGS)
      : [];
  }

  private write(response: ResponseContext, entries: string[]): void {
    const secure = this.options.session.secure;
    const maxAge = entries.length === 0 ? 0 : this.options.loginWithin;
    response.setCookie(serializeCookie(this.cookieName, entries.join('.'), { httpOnly: true, secure, maxAge }));
  }

  private mac(key: Buffer, token: string): string {
    return createHmac('sha256', key).update(tokenDigest(token, 'login')).digest().subarray(0, 16).toString('base64url');
  }
}
