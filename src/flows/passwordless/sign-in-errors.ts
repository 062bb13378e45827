import { HttpStatus } from '@nestjs/common';
import { SecurityException } from '../../common/errors/index.js';

/** Codes the passwordless and unified sign-in flows add to SecurityErrorCode. */
export const SignInErrorCode = {
  /** 400: a login link that was already used (or lost a race with a concurrent use of itself). */
  USED_TOKEN: 'USED_TOKEN',
  /** 400: a login link opened in another browser than the one that asked for it (`passwordlessBindToBrowser`). */
  LINK_BROWSER_MISMATCH: 'LINK_BROWSER_MISMATCH',
  /** 400: the right code, typed after its `usTokenValidity`. */
  EXPIRED_CODE: 'EXPIRED_CODE',
  /** 400: a wrong, used or replaced code (unified sign-in setup). */
  INVALID_CODE: 'INVALID_CODE',
  /** 400: a unified sign-in method that is not enabled, or not set up for the user. */
  METHOD_NOT_AVAILABLE: 'METHOD_NOT_AVAILABLE',
} as const;

export function usedLoginLink(message: string): SecurityException {
  return new SecurityException(HttpStatus.BAD_REQUEST, SignInErrorCode.USED_TOKEN, message);
}

export function linkBrowserMismatch(message: string): SecurityException {
  return new SecurityException(HttpStatus.BAD_REQUEST, SignInErrorCode.LINK_BROWSER_MISMATCH, message);
}

export function expiredCode(message: string): SecurityException {
  return new SecurityException(HttpStatus.BAD_REQUEST, SignInErrorCode.EXPIRED_CODE, message);
}

export function invalidCode(message: string): SecurityException {
  return new SecurityException(HttpStatus.BAD_REQUEST, SignInErrorCode.INVALID_CODE, message);
}

export function methodNotAvailable(message: string): SecurityException {
  return new SecurityException(HttpStatus.BAD_REQUEST, SignInErrorCode.METHOD_NOT_AVAILABLE, message);
}
