import { formatWithin } from '../../mail/index.js';

/** What two-factor says, keyed by Flask-Security's message names. Wording is ours; keys are the contract. */
export const TwoFactorMessage = {
  TWO_FACTOR_INVALID_TOKEN: () => 'Invalid code.',
  TWO_FACTOR_LOGIN_SUCCESSFUL: () => 'Your code has been confirmed.',
  TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL: () => 'Your two-factor method has been changed.',
  TWO_FACTOR_PERMISSION_DENIED: () => 'There is no two-factor sign-in in progress here: sign in with your password first.',
  TWO_FACTOR_METHOD_NOT_AVAILABLE: () => 'The chosen method is not available.',
  TWO_FACTOR_DISABLED: () => 'Two-factor authentication has been disabled.',
  TWO_FACTOR_REQUIRED: () => 'Two-factor authentication is required for this account and cannot be disabled.',
  TWO_FACTOR_SETUP_EXPIRED: (within: number) => `The setup has expired (it must be completed within ${formatWithin(within)}). Start again.`,
  TWO_FACTOR_SETUP_INVALID: () => 'The setup state is invalid. Start again.',
  TWO_FACTOR_PHONE_REQUIRED: () => 'A phone number is required for SMS codes.',
  TWO_FACTOR_RESCUE_SENT: () => 'A code has been sent to your email address.',
  TWO_FACTOR_HELP_SENT: () => 'Your request for help has been sent.',
  TWO_FACTOR_SMS_UNAVAILABLE: () => 'The code could not be sent by SMS. Try again shortly, or have a code sent by email.',
  USE_CODE: (code: string) => `Use this code to sign in: ${code}`,
  NO_RECOVERY_CODES_SETUP: () => 'No recovery codes are set up for this account.',
  INVALID_RECOVERY_CODE: () => 'Invalid recovery code.',
} as const;
