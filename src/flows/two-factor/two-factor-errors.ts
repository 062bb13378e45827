import { HttpStatus } from '@nestjs/common';
import { SecurityException } from '../../common/errors/index.js';
import { TwoFactorMessage } from './two-factor-messages.js';

/** Codes two-factor adds to SecurityErrorCode (wrong and expired codes reuse INVALID_CODE / EXPIRED_TOKEN). */
export const TwoFactorErrorCode = {
  /** 400: a wrong, reused or stale second-factor or recovery code. */
  INVALID_CODE: 'INVALID_CODE',
  /** 400: /tf-validate, /tf-rescue, /tf-select or /mf-recovery without a pending sign-in in this browser. */
  TF_NOT_PENDING: 'TF_NOT_PENDING',
  /** 400: a method that is not enabled or not set up. */
  METHOD_NOT_AVAILABLE: 'METHOD_NOT_AVAILABLE',
  /** 400: `setup: 'disable'` while two-factor is required for the user. */
  TF_REQUIRED: 'TF_REQUIRED',
  /** 503: the SmsSender failed (or there is none, or no phone number): no code went out. */
  SMS_UNAVAILABLE: 'SMS_UNAVAILABLE',
} as const;

export const invalidTfCode = (message: string = TwoFactorMessage.TWO_FACTOR_INVALID_TOKEN()): SecurityException =>
  new SecurityException(HttpStatus.BAD_REQUEST, TwoFactorErrorCode.INVALID_CODE, message);

export const notPending = (): SecurityException =>
  new SecurityException(HttpStatus.BAD_REQUEST, TwoFactorErrorCode.TF_NOT_PENDING, TwoFactorMessage.TWO_FACTOR_PERMISSION_DENIED());

export const tfMethodNotAvailable = (): SecurityException =>
  new SecurityException(
    HttpStatus.BAD_REQUEST,
    TwoFactorErrorCode.METHOD_NOT_AVAILABLE,
    TwoFactorMessage.TWO_FACTOR_METHOD_NOT_AVAILABLE(),
  );

export const tfRequired = (): SecurityException =>
  new SecurityException(HttpStatus.BAD_REQUEST, TwoFactorErrorCode.TF_REQUIRED, TwoFactorMessage.TWO_FACTOR_REQUIRED());

export const smsUnavailable = (cause: unknown): SecurityException =>
  new SecurityException(
    HttpStatus.SERVICE_UNAVAILABLE,
    TwoFactorErrorCode.SMS_UNAVAILABLE,
    TwoFactorMessage.TWO_FACTOR_SMS_UNAVAILABLE(),
    undefined,
    { cause },
  );
