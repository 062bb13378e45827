import { HttpStatus } from '@nestjs/common';
import { SecurityException } from '../../common/errors/security.exception.js';

export const INVALID_CREDENTIALS = 'INVALID_CREDENTIALS';

/**
 * 400 INVALID_CREDENTIALS: the one answer to a failed login or /verify,
 * whatever went wrong (unknown account, wrong password, inactive or
 * unconfirmed user), as Flask-Security's generic 400.
 */
export class InvalidCredentialsException extends SecurityException {
  constructor(message = 'Invalid credentials') {
    super(HttpStatus.BAD_REQUEST, INVALID_CREDENTIALS, message);
  }
}
