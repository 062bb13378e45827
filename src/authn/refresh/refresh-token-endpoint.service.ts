import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { SecurityErrorCode } from '../../common/errors/security-error-codes.js';
import { SecurityException, TooManyAttemptsException, ValidationFailedException } from '../../common/errors/security.exception.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { AttemptStore } from '../../storage/attempt-store.js';
import { RefreshTokenService } from '../../tokens/refresh-token.service.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { type UserPayload, userPayload } from '../login/login.service.js';
import { RefreshTokenCookie } from './refresh-token-cookie.js';
import { RefreshTokenRefusedException } from './refresh-token.exception.js';

export interface RefreshedBody {
  user: UserPayload;
  authentication_token: string;
  /** Absent with `refreshTokens.cookieName`: the next token is in the cookie. */
  refresh_token?: string;
}

/**
 * `POST /refresh-token`: a refresh token in, a new auth token and the next
 * refresh token of the family out. The new auth token carries the family's
 * creation as its authentication time: refreshing keeps a client signed
 * in, it does not make it fresh (@AuthRequired({ within })).
 *
 * Refused tokens count per client address on the shared AttemptStore, and
 * past `limits.perIp` answer 429. Only refusals count: a well-signed token
 * cannot be guessed, so every guess is a refusal, while a busy address of
 * honest clients refreshing is never locked out.
 *
 * With `refreshTokens.cookieName` the token comes from the cookie (a body's
 * `refresh_token` is not read, as Flask-Security) and the next one goes
 * back in it; a refused token's cookie is deleted.
 */
@Injectable()
export class RefreshTokenEndpoint {
  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly tokens: TokenFactory,
    private readonly attempts: AttemptStore,
    private readonly cookie: RefreshTokenCookie,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  async refresh(bodyToken: string | undefined, request: RequestContext, response: ResponseContext): Promise<RefreshedBody> {
    if (!this.refreshTokens.enabled) throw new SecurityException(HttpStatus.NOT_FOUND, SecurityErrorCode.NOT_FOUND, 'Not Found');
    const token = this.cookie.enabled ? await this.cookie.readForExchange(request) : bodyToken;
    if (!this.cookie.enabled && token === undefined) throw new ValidationFailedException({ refresh_token: ['refresh_token is required'] });
    const exchange = await this.refreshTokens.exchange(token ?? '');
    if (!exchange.ok) {
      this.cookie.clear(response);
      const { perIp, lockout } = this.options.limits;
      const counted = await this.attempts.hit(`refresh:ip:${request.ip.slice(0, 100)}`, perIp.window, perIp.max, lockout);
      if (!counted.allowed) throw new TooManyAttemptsException(counted.retryAfter);
      throw new RefreshTokenRefusedException(exchange.failure);
    }
    const { user, tracker, refreshToken } = exchange;
    const body: RefreshedBody = { user: userPayload(user), authentication_token: this.tokens.auth(user, tracker.createdAt) };
    if (this.cookie.enabled) this.cookie.write(response, refreshToken, tracker.expiresAt);
    else body.refresh_token = refreshToken;
    return body;
  }
}
