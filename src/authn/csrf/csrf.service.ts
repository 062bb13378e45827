import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CsrfFailedException } from '../../common/errors/security.exception.js';
import { BadData } from '../../core/signing/errors.js';
import { TimestampSigner } from '../../core/signing/timestamp-signer.js';
import { timingSafeEqualStrings } from '../../core/signing/timing-safe-equal.js';
import type { StoredSession } from '../../storage/session-store.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { serializeCookie } from '../session/cookies.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const MAX_TOKEN_LENGTH = 256;
/** Lifetime of a pre-session token (seconds): Flask-WTF's default WTF_CSRF_TIME_LIMIT. */
export const PRE_SESSION_TOKEN_MAX_AGE = 3600;
const PRE_SESSION_SALT = 'nest-security-pre-session-csrf';
const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * CSRF protection for requests authenticated by the session cookie. Each
 * session has its own random token (in its row); the client gets it in the
 * readable `XSRF-TOKEN` cookie and in the login response (`csrf_token`), and
 * echoes it in the `X-XSRF-Token` header or a `csrf_token` body field on
 * every state-changing request. Token and Basic authentication need none:
 * a browser never adds those credentials on its own.
 *
 * Before there is a session (a sign-in form), GET /csrf hands out a
 * pre-session token, as Flask-WTF keeps one in Flask's session: a random
 * nonce goes into an HttpOnly cookie (`<session cookie>_csrf`), and the token
 * is that nonce signed with a timestamp (valid an hour). A request proves
 * it comes from a page of ours by sending the token that matches its own
 * nonce cookie: a cross-site form can send neither its victim's token nor a
 * nonce cookie of its own choosing.
 */
@Injectable()
export class CsrfService {
  private readonly preSessionSigner: TimestampSigner;

  constructor(@Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions) {
    this.preSessionSigner = new TimestampSigner(options.secretKeys, { salt: PRE_SESSION_SALT });
  }

  /** The HttpOnly cookie holding the pre-session nonce. */
  get preSessionCookieName(): string {
    return `${this.options.session.cookieName}_csrf`;
  }

  get enabled(): boolean {
    return this.options.csrf.enabled;
  }

  /** POST, PUT, PATCH, DELETE (anything but GET, HEAD, OPTIONS, TRACE). */
  isStateChanging(request: RequestContext): boolean {
    return !SAFE_METHODS.has(request.method.toUpperCase());
  }

  /** The token the client sent: header first, then a `csrf_token` body field. */
  sentToken(request: RequestContext): string | undefined {
    const header = request.header(this.options.csrf.headerName);
    if (header) return header;
    const body = request.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const field = (body as Record<string, unknown>).csrf_token;
      if (typeof field === 'string') return field;
    }
    return undefined;
  }

  /** Throws 400 CSRF_FAILED unless the request carries the session's token (constant-time compare). */
  verify(request: RequestContext, session: StoredSession): void {
    if (!this.enabled) return;
    if (!this.hasSessionToken(request, session)) throw new CsrfFailedException();
  }

  /**
   * A pre-session CSRF token for this browser: signs the nonce of its
   * `<session cookie>_csrf` cookie, setting a new nonce when it has none,
   * and sets the readable CSRF cookie to the token (as a session's token is
   * set at sign-in).
   */
  issuePreSessionToken(request: RequestContext, response: ResponseContext): string {
    const secure = this.options.session.secure;
    let nonce = this.preSessionNonce(request);
    if (!nonce) {
      nonce = randomBytes(32).toString('base64url');
      response.setCookie(serializeCookie(this.preSessionCookieName, nonce, { httpOnly: true, secure }));
    }
    const token = this.preSessionSigner.sign(nonce);
    response.setCookie(serializeCookie(this.options.csrf.cookieName, token, { httpOnly: false, secure }));
    return token;
  }

  /** Whether the request carries a live pre-session token matching its own nonce cookie. */
  hasPreSessionToken(request: RequestContext): boolean {
    const sent = this.sentToken(request);
    const nonce = this.preSessionNonce(request);
    if (!sent || !nonce || sent.length > MAX_TOKEN_LENGTH) return false;
    try {
      const signed = this.preSessionSigner.unsign(sent, { maxAge: PRE_SESSION_TOKEN_MAX_AGE });
      return timingSafeEqualStrings(signed, nonce);
    } catch (error) {
      if (error instanceof BadData) return false;
      throw error;
    }
  }

  /** Whether the request carries its session's token (no exception: for checks that accept either kind). */
  hasSessionToken(request: RequestContext, session: StoredSession): boolean {
    const sent = this.sentToken(request);
    const expected = session.csrfToken;
    return !!sent && !!expected && sent.length <= MAX_TOKEN_LENGTH && timingSafeEqualStrings(sent, expected);
  }

  private preSessionNonce(request: RequestContext): string | undefined {
    const nonce = request.cookie(this.preSessionCookieName);
    return nonce !== undefined && NONCE_PATTERN.test(nonce) ? nonce : undefined;
  }

  /** The guard's rule: a state-changing request authenticated by the session must carry the token. */
  protect(request: RequestContext, session: StoredSession | undefined): void {
    if (this.enabled && session && this.isStateChanging(request)) this.verify(request, session);
  }
}
