import { HttpStatus } from '@nestjs/common';
import { SecurityErrorCode } from '../errors/security-error-codes.js';
import { SecurityException } from '../errors/security.exception.js';
import type { BodyLimitExceeded } from './body-limits.js';

const MESSAGES: Readonly<Record<BodyLimitExceeded, string>> = {
  maxDepth: 'The request body is nested too deeply',
  maxKeys: 'The request body has too many fields',
  maxSize: 'The request body has too much text',
};

/** 400 BODY_TOO_COMPLEX: a body (or query) over the BodyLimits, refused before it is transformed or validated. */
export class BodyTooComplexException extends SecurityException {
  readonly limit: BodyLimitExceeded;

  constructor(limit: BodyLimitExceeded) {
    super(HttpStatus.BAD_REQUEST, SecurityErrorCode.BODY_TOO_COMPLEX, MESSAGES[limit]);
    this.limit = limit;
  }
}
