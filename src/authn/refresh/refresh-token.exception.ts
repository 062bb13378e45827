import { HttpStatus } from '@nestjs/common';
import { SecurityErrorCode } from '../../common/errors/security-error-codes.js';
import { SecurityException } from '../../common/errors/security.exception.js';
import type { RefreshTokenFailure } from '../../tokens/refresh-token.service.js';

/**
 * 401 for a refused refresh token: REFRESH_TOKEN_REUSED when it was an old
 * generation (its family is now revoked), REFRESH_TOKEN_INVALID for every
 * other reason (named in the message, as Flask-Security's "Refresh token
 * is invalid (EXPIRED)"). Either way the client must sign in again.
 */
export class RefreshTokenRefusedException extends SecurityException {
  constructor(readonly failure: RefreshTokenFailure) {
    const reused = failure === 'GEN_MISMATCH';
    super(
      HttpStatus.UNAUTHORIZED,
      reused ? SecurityErrorCode.REFRESH_TOKEN_REUSED : SecurityErrorCode.REFRESH_TOKEN_INVALID,
      reused ? 'Refresh token was already used: every token of its family is revoked' : `Refresh token is invalid (${failure})`,
    );
  }
}
