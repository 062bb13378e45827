import { SecurityEvents } from '../../common/events/security-events.service.js';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ValidationFailedException } from '../../common/errors/security.exception.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { RefreshTokenService } from '../../tokens/refresh-token.service.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { getAuthentication } from '../authentication.js';
import { UserCache } from '../cache/user-cache.js';
import { CsrfService } from '../csrf/csrf.service.js';
import { RefreshTokenCookie } from '../refresh/refresh-token-cookie.js';
import { SessionService } from '../session/session.service.js';
import type { LoginDto } from './dto/login.dto.js';
import { InvalidCredentialsException } from './invalid-credentials.exception.js';
import { SecondFactorGate, type SecondFactorRequiredBody } from './second-factor-gate.js';
import { PasswordAuthenticator } from './password-authenticator.service.js';

/** Emitted on every sign-in (login, and the flows that sign the user in). Payload: {@link UserAuthenticatedEvent}. */
export const USER_AUTHENTICATED_EVENT = 'user.authenticated';

/** Who signed in and how ('password' for POST /login; a flow's name otherwise). No secrets. */
export interface UserAuthenticatedEvent {
  userId: number;
  via: string;
}

/** The user as the JSON API shows it. */
export interface UserPayload {
  id: number;
  email: string;
  roles: string[];
}

/** The answer to a sign-in: the user, the session's CSRF token, and the auth token (and refresh token) when asked for. */
export interface SignedInBody {
  user: UserPayload;
  csrf_token?: string;
  authentication_token?: string;
  /** With `refreshTokens` on, beside every authentication_token. */
  refresh_token?: string;
}

/** The session's data key of the refresh-token family opened with it: logout revokes it. */
const SESSION_REFRESH_FAMILY = 'refreshFamily';

export interface SignInOptions {
  remember?: boolean;
  /** Return the auth token. Default: when the request has `?include_auth_token`. */
  includeAuthToken?: boolean;
}

export function userPayload(user: SecurityUser): UserPayload {
  return { id: user.id, email: user.email, roles: (user.roles ?? []).map((role) => role.name) };
}

/** `?include_auth_token` is present (with or without a value), as Flask-Security. */
export function wantsAuthToken(request: RequestContext): boolean {
  return Object.prototype.hasOwnProperty.call(request.query, 'include_auth_token');
}

/**
 * Login, logout, re-authentication and token revocation: what the
 * LoginController's endpoints do. `signIn` is Flask-Security's login_user
 * and is what the account flows call to sign a user in.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly passwords: PasswordAuthenticator,
    private readonly sessions: SessionService,
    private readonly csrf: CsrfService,
    private readonly tokens: TokenFactory,
    private readonly datastore: UserDatastore,
    private readonly userCache: UserCache,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    private readonly events: SecurityEvents,
    private readonly refreshTokens: RefreshTokenService,
    private readonly refreshCookie: RefreshTokenCookie,
    @Optional() private readonly secondFactor?: SecondFactorGate,
  ) {}

  /** POST /login. Failures, whatever the reason, are one 400 INVALID_CREDENTIALS. */
  async login(dto: LoginDto, request: RequestContext, response: ResponseContext): Promise<SignedInBody | SecondFactorRequiredBody> {
    if (dto.username !== undefined && !this.options.usernameEnable) {
      throw new ValidationFailedException({ username: ['username sign-in is not enabled'] });
    }
    if (dto.username !== undefined && dto.email !== undefined) {
      throw new ValidationFailedException({ email: ['give email or username, not both'] });
    }
    // A live session being replaced: the request must carry its CSRF token.
    await this.checkPresentedSessionCsrf(request);
    const user = await this.passwords.authenticate({ email: dto.email, username: dto.username }, dto.password, request.ip);
    if (!user) throw new InvalidCredentialsException();
    // Two-factor (flows/two-factor): when it applies, a second step starts instead and nobody is signed in yet.
    const secondStep = await this.secondFactor?.check(request, response, user, { remember: dto.remember === true, via: 'password' });
    if (secondStep) return secondStep;
    return this.signIn(request, response, user, 'password', { remember: dto.remember === true });
  }

  /**
   * Sign the user in: end the session the request came with (the session id
   * changes at every sign-in), open a new one and set its cookies, record
   * the login (trackable), emit `user.authenticated`.
   */
  async signIn(
    request: RequestContext,
    response: ResponseContext,
    user: SecurityUser,
    via: string,
    { remember = false, includeAuthToken = wantsAuthToken(request) }: SignInOptions = {},
  ): Promise<SignedInBody> {
    const previous = this.sessions.secretFrom(request);
    if (previous) await this.sessions.destroy(previous);
    if (this.options.trackable) await this.track(user, request.ip);
    const now = new Date();
    const client = { userAgent: request.header('user-agent'), ip: request.ip };
    const { secret, session } = await this.sessions.create(user, { remember, authenticatedAt: now, client });
    this.sessions.writeCookies(response, secret, session);
    this.events.emit(USER_AUTHENTICATED_EVENT, { userId: user.id, via });
    const body: SignedInBody = { user: userPayload(user) };
    if (this.options.csrf.enabled && session.csrfToken) body.csrf_token = session.csrfToken;
    if (includeAuthToken) {
      const { authentication_token, refresh_token, refreshFamily } = await this.responseTokens(user, now, response);
      body.authentication_token = authentication_token;
      if (refresh_token) body.refresh_token = refresh_token;
      if (refreshFamily) await this.sessions.updateData(session, { [SESSION_REFRESH_FAMILY]: refreshFamily });
    }
    return body;
  }

  /**
   * POST /logout: ends the session (if any) and clears the cookies; revokes
   * the refresh-token family of the `refresh_token` given (or of the
   * refresh-token cookie, where its path lets the browser send it here), and
   * the one the session was signed in with; deletes the refresh-token cookie.
   * Never fails for lack of a session.
   */
  async logout(request: RequestContext, response: ResponseContext, refreshToken?: string): Promise<void> {
    const secret = await this.checkPresentedSessionCsrf(request);
    if (this.refreshTokens.enabled) {
      if (refreshToken) await this.refreshTokens.revokePresented(refreshToken);
      const fromCookie = this.refreshCookie.read(request);
      if (fromCookie) await this.refreshTokens.revokePresented(fromCookie);
      this.refreshCookie.clear(response);
      const family = secret ? (await this.sessions.find(secret))?.data[SESSION_REFRESH_FAMILY] : undefined;
      if (typeof family === 'string') await this.refreshTokens.revokeFamily(family);
    }
    if (secret) await this.sessions.destroy(secret);
    this.sessions.clearCookies(response);
  }

  /**
   * POST /verify: the signed-in user proves who they are again. The session
   * (if that is how they came) becomes fresh; a new auth token carrying the
   * new authentication time is returned, as Flask-Security does.
   */
  async verify(
    request: RequestContext,
    response: ResponseContext,
    password: string,
  ): Promise<{ user: UserPayload; authentication_token: string; refresh_token?: string }> {
    const user = getAuthentication(request)!.user;
    const verified = await this.passwords.reauthenticate(user, password, request.ip);
    if (!verified) throw new InvalidCredentialsException();
    const now = new Date();
    const authentication = getAuthentication(request);
    if (authentication?.session) await this.sessions.reauthenticated(authentication.session, now);
    if (authentication) authentication.authenticatedAt = now;
    const { authentication_token, refresh_token } = await this.responseTokens(user, now, response);
    return { user: userPayload(user), authentication_token, ...(refresh_token ? { refresh_token } : {}) };
  }

  /** POST /tokens/revoke: a new fs_token_uniquifier, so every auth token of the user dies. */
  async revokeTokens(
    request: RequestContext,
    response: ResponseContext,
  ): Promise<{ authentication_token?: string; refresh_token?: string }> {
    const user = getAuthentication(request)!.user;
    await this.datastore.setTokenUniquifier(user);
    this.userCache.invalidate(user.id);
    if (!wantsAuthToken(request)) return {};
    const { authentication_token, refresh_token } = await this.responseTokens(user, new Date(), response);
    return { authentication_token, ...(refresh_token ? { refresh_token } : {}) };
  }

  /**
   * What every answer that hands out an auth token carries (Flask-Security's
   * response_tokens): the auth token and, with `refreshTokens` on, the first
   * refresh token of a new family: in the body, or with
   * `refreshTokens.cookieName` in its cookie only.
   */
  async responseTokens(
    user: SecurityUser,
    authenticatedAt: Date,
    response: ResponseContext,
  ): Promise<{ authentication_token: string; refresh_token?: string; refreshFamily?: string }> {
    const authentication_token = this.tokens.auth(user, authenticatedAt);
    if (!this.refreshTokens.enabled) return { authentication_token };
    const { token, tracker } = await this.refreshTokens.mint(user, { now: authenticatedAt });
    if (!this.refreshCookie.enabled) return { authentication_token, refresh_token: token, refreshFamily: tracker.family };
    this.refreshCookie.write(response, token, tracker.expiresAt);
    return { authentication_token, refreshFamily: tracker.family };
  }

  /**
   * GET /csrf: the CSRF token of the caller's session (and its cookie again);
   * without a session, a pre-session token for sign-in forms (CsrfService);
   * null with CSRF protection off.
   */
  async csrfToken(request: RequestContext, response: ResponseContext): Promise<{ csrf_token: string | null }> {
    if (!this.options.csrf.enabled) return { csrf_token: null };
    const secret = this.sessions.secretFrom(request);
    const found = secret ? await this.sessions.authenticate(secret) : null;
    if (!secret || !found) return { csrf_token: this.csrf.issuePreSessionToken(request, response) };
    this.sessions.writeCookies(response, secret, found.session);
    return { csrf_token: found.session.csrfToken };
  }

  /**
   * A live session the request presents must come with its CSRF token (a
   * sign-in replacing it, a logout ending it). Resolves the session secret, if any.
   */
  async checkPresentedSessionCsrf(request: RequestContext): Promise<string | undefined> {
    const secret = this.sessions.secretFrom(request);
    const session = secret ? await this.sessions.find(secret) : null;
    if (session) this.csrf.verify(request, session);
    return secret;
  }

  /** Flask-Security's trackable fields. */
  private async track(user: SecurityUser, ip: string): Promise<void> {
    const now = new Date();
    const address = ip.slice(0, 64);
    user.lastLoginAt = user.currentLoginAt ?? now;
    user.currentLoginAt = now;
    user.lastLoginIp = user.currentLoginIp ?? address;
    user.currentLoginIp = address;
    user.loginCount = (user.loginCount ?? 0) + 1;
    await this.datastore.saveUser(user);
  }
}
