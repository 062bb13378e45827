import { HttpStatus } from '@nestjs/common';
import { SecurityErrorCode, SecurityException, ValidationFailedException } from '../../common/errors/index.js';

/** Codes passkeys add to SecurityErrorCode (a bad or used `wan_state` is INVALID_TOKEN / EXPIRED_TOKEN). */
export const WebAuthnErrorCode = {
  /** 400: the credential did not verify (wrong challenge, origin, signature, user, usage, or unknown). */
  WEBAUTHN_FAILED: 'WEBAUTHN_FAILED',
  /** 400: the sign counter did not move forward: a cloned authenticator or a replayed assertion. */
  WEBAUTHN_COUNTER: 'WEBAUTHN_COUNTER',
  /** 400: the authenticator's credential is registered already. */
  WEBAUTHN_CREDENTIAL_IN_USE: 'WEBAUTHN_CREDENTIAL_IN_USE',
  /** 404: /wan-delete of a name the user has no passkey by. */
  WEBAUTHN_NAME_NOT_FOUND: 'WEBAUTHN_NAME_NOT_FOUND',
} as const;

export const webauthnFailed = (why = 'The passkey could not be verified'): SecurityException =>
  new SecurityException(HttpStatus.BAD_REQUEST, WebAuthnErrorCode.WEBAUTHN_FAILED, why);

export const counterRefused = (): SecurityException =>
  new SecurityException(
    HttpStatus.BAD_REQUEST,
    WebAuthnErrorCode.WEBAUTHN_COUNTER,
    'The passkey was refused: its sign counter did not advance (a copy of the authenticator, or a replay)',
  );

export const credentialInUse = (): SecurityException =>
  new SecurityException(HttpStatus.BAD_REQUEST, WebAuthnErrorCode.WEBAUTHN_CREDENTIAL_IN_USE, 'This passkey is registered already');

export const nameNotFound = (name: string): SecurityException =>
  new SecurityException(HttpStatus.NOT_FOUND, WebAuthnErrorCode.WEBAUTHN_NAME_NOT_FOUND, `No passkey named "${name}"`);

export const nameInUse = (name: string): ValidationFailedException =>
  new ValidationFailedException({ name: [`"${name}" is already the name of one of your passkeys`] });

export const invalidState = (): SecurityException =>
  new SecurityException(HttpStatus.BAD_REQUEST, SecurityErrorCode.INVALID_TOKEN, 'Invalid or already used passkey request');

export const expiredState = (): SecurityException =>
  new SecurityException(HttpStatus.BAD_REQUEST, SecurityErrorCode.EXPIRED_TOKEN, 'The passkey request expired: start again');
