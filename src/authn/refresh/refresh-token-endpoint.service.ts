import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { SecurityErrorCode } from '../../common/errors/security-error-codes.js';
import { SecurityException, TooManyAttemptsException } from '../../common/errors/security.exception.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { AttemptStore } from '../../storage/attempt-store.js';
import { RefreshTokenService } from '../../tokens/refresh-token.service.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { type UserPayload, userPayload } from '../login/login.service.js';
import { RefreshTokenRefusedException } from './refresh-token.exception.js';

export interface RefreshedBody {
  user: UserPayload;
  authentication_token: string;
  refresh_token: string;
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
 */
@Injectable()
export class RefreshTokenEndpoint {
  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly tokens: TokenFactory,
    private readonly attempts: AttemptStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  async refresh(token: string, ip: string): Promise<RefreshedBody> {
    if (!this.refreshTokens.enabled) throw new SecurityException(HttpStatus.NOT_FOUND, SecurityErrorCode.NOT_FOUND, 'Not Found');
    const exchange = await this.refreshTokens.exchange(token);
    if (!exchange.ok) {
      const { perIp, lockout } = this.options.limits;
      const counted = await this.attempts.hit(`refresh:ip:${ip.slice(0, 100)}`, perIp.window, perIp.max, lockout);
      if (!counted.allowed) throw new TooManyAttemptsException(counted.retryAfter);
      throw new RefreshTokenRefusedException(exchange.failure);
    }
    const { user, tracker, refreshToken } = exchange;
    return {
      user: userPayload(user),
      authentication_token: this.tokens.auth(user, tracker.createdAt),
      refresh_token: refreshToken,
    };
  }
}
