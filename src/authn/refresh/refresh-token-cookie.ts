import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { SecurityErrorCode } from '../../common/errors/security-error-codes.js';
import { CsrfFailedException, SecurityException } from '../../common/errors/security.exception.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { CsrfService } from '../csrf/csrf.service.js';
import { serializeCookie } from '../session/cookies.js';
import { SessionService } from '../session/session.service.js';

/**
 * The refresh token in a cookie (`refreshTokens.cookieName`, Flask-Security
 * 5.9's REFRESH_TOKEN_COOKIE_NAME) instead of the JSON body: HttpOnly, so
 * page scripts never see it; SameSite=Strict and scoped to the refresh
 * route, so a browser sends it there only, and only from our own site;
 * Secure as every cookie of the module (`session.secure`); living as long
 * as its family may.
 *
 * A cookie is ambient: any page a browser visits could make it post one.
 * SameSite=Strict stops other sites, not a sibling subdomain or an old
 * browser, so a request that presents the cookie must also be JSON (no
 * HTML form can send that) and, with CSRF on, carry a CSRF token of ours:
 * its session's, or a pre-session one from GET /csrf.
 */
@Injectable()
export class RefreshTokenCookie {
  private readonly name: string | undefined;
  private readonly path: string;
  private readonly secure: boolean;

  constructor(
    private readonly csrf: CsrfService,
    private readonly sessions: SessionService,
    @Inject(SECURITY_OPTIONS) options: ResolvedSecurityOptions,
  ) {
    this.name = options.refreshTokens.cookieName;
    this.path = options.refreshTokens.cookiePath;
    this.secure = options.session.secure;
  }

  /** Refresh tokens travel in the cookie, not in bodies. */
  get enabled(): boolean {
    return this.name !== undefined;
  }

  /** Sets the cookie to `token`, until `expiresAt` (the family's end). */
  write(response: ResponseContext, token: string, expiresAt: Date): void {
    if (!this.name) return;
    const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    response.setCookie(serializeCookie(this.name, token, this.attributes(maxAge)));
  }

  /** Deletes the cookie (logout, a refused token). */
  clear(response: ResponseContext): void {
    if (this.name) response.setCookie(serializeCookie(this.name, '', this.attributes(0)));
  }

  /** The cookie's token, if the browser sent it (it does on the cookie's path only). */
  read(request: RequestContext): string | undefined {
    return this.name ? request.cookie(this.name) || undefined : undefined;
  }

  /** The token of an exchange: the cookie's, after the checks that keep other pages from using it. */
  async readForExchange(request: RequestContext): Promise<string | undefined> {
    const token = this.read(request);
    if (token === undefined) return undefined;
    if (!/^application\/json\b/i.test(request.header('content-type') ?? ''))
      throw new SecurityException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        SecurityErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'The refresh-token cookie is taken with a JSON body only',
      );
    if (this.csrf.enabled && !this.csrf.hasPreSessionToken(request) && !(await this.hasSessionToken(request)))
      throw new CsrfFailedException('The refresh-token cookie needs a CSRF token (GET /csrf gives one)');
    return token;
  }

  private async hasSessionToken(request: RequestContext): Promise<boolean> {
    const secret = this.sessions.secretFrom(request);
    const session = secret ? await this.sessions.find(secret) : null;
    return session !== null && this.csrf.hasSessionToken(request, session);
  }

  private attributes(maxAge: number) {
    return { httpOnly: true, secure: this.secure, sameSite: 'Strict', path: this.path, maxAge } as const;
  }
}
