import { HttpStatus } from '@nestjs/common';
import { SecurityErrorCode, SecurityException } from '../../common/errors/index.js';

/** Codes the flows add to SecurityErrorCode. */
export const FlowErrorCode = {
  /** 409: the address asked for is taken (change email). */
  EMAIL_IN_USE: 'EMAIL_IN_USE',
} as const;

/** 400 INVALID_TOKEN: a link (or state) token that is malformed, tampered with, already used, or no longer matches its account. */
export function invalidLink(message: string): SecurityException {
  return new SecurityException(HttpStatus.BAD_REQUEST, SecurityErrorCode.INVALID_TOKEN, message);
}

/** 400 EXPIRED_TOKEN; `resent` says a fresh link went out by mail. */
export function expiredLink(message: string, resent: boolean): SecurityException {
  return new SecurityException(HttpStatus.BAD_REQUEST, SecurityErrorCode.EXPIRED_TOKEN, message, { resent });
}

/** 409 EMAIL_IN_USE. */
export function emailInUse(message: string): SecurityException {
  return new SecurityException(HttpStatus.CONFLICT, FlowErrorCode.EMAIL_IN_USE, message);
}
