import { formatWithin } from '../../mail/index.js';

/**
 * What the flows say, keyed by Flask-Security's message names (the same keys
 * its SPA redirects and front ends know). Wording is ours; the keys and the
 * category (Flask-Security's query-string key in SPA redirects) are the contract.
 */
export const FlowMessage = {
  CONFIRM_REGISTRATION: (email: string) => `Thank you. Instructions to confirm your email address have been sent to ${email}.`,
  REGISTERED: () => 'Thank you for registering.',
  EMAIL_CONFIRMED: () => 'Thank you. Your email address is confirmed.',
  ALREADY_CONFIRMED: () => 'Your email address was already confirmed.',
  INVALID_CONFIRMATION_TOKEN: () => 'The confirmation link is invalid.',
  /** `resentTo`: the address a fresh link went to (resendExpiredLinks); else the user is asked to start again. */
  CONFIRMATION_EXPIRED: (within: number, resentTo?: string) =>
    `The confirmation link has expired (links are valid for ${formatWithin(within)}). ` +
    (resentTo ? `A new one has been sent to ${resentTo}.` : 'Ask for a new one.'),
  CONFIRMATION_REQUEST: (email: string) => `If ${email} has an account waiting for confirmation, instructions have been sent to it.`,
  PASSWORD_RESET_REQUEST: (email: string) => `If ${email} has an account, instructions to reset its password have been sent to it.`,
  INVALID_RESET_PASSWORD_TOKEN: () => 'The password reset link is invalid.',
  /** `resentTo`: the address a fresh link went to (resendExpiredLinks); else the user is asked to start again. */
  PASSWORD_RESET_EXPIRED: (within: number, resentTo?: string) =>
    `The password reset link has expired (links are valid for ${formatWithin(within)}). ` +
    (resentTo ? `A new one has been sent to ${resentTo}.` : 'Ask for a new one.'),
  RESET_TOKEN_VALID: () => 'The password reset link is valid: choose a new password.',
  PASSWORD_RESET: () => 'Your password has been reset.',
  PASSWORD_CHANGE: () => 'Your password has been changed.',
  CHANGE_EMAIL_SENT: (email: string) => `Instructions to confirm ${email} have been sent to it.`,
  INVALID_CHANGE_EMAIL_TOKEN: () => 'The email change link is invalid.',
  CHANGE_EMAIL_EXPIRED: (within: number) =>
    `The email change link has expired (links are valid for ${formatWithin(within)}). Ask for the change again.`,
  CHANGE_EMAIL_CONFIRMED: () => 'Your email address has been changed.',
  EMAIL_IN_USE: () => 'This email address is already associated with an account.',
  USERNAME_RECOVERY_REQUEST: (email: string) => `If ${email} has an account with a username, it has been sent to it.`,
  USERNAME_CHANGE: () => 'Your username has been changed.',
} as const;

/** Field messages. */
export const FieldMessage = {
  EMAIL_NOT_PROVIDED: 'Email not provided',
  INVALID_EMAIL_ADDRESS: 'Invalid email address',
  PASSWORD_NOT_PROVIDED: 'Password not provided',
  RETYPE_PASSWORD_MISMATCH: 'Passwords do not match',
  INVALID_PASSWORD: 'Invalid password',
  PASSWORD_IS_THE_SAME: 'The new password must be different from the current one',
  EMAIL_ALREADY_ASSOCIATED: (email: string) => `${email} is already associated with an account`,
  USERNAME_ALREADY_ASSOCIATED: (username: string) => `${username} is already associated with an account`,
  USERNAME_NOT_PROVIDED: 'Username not provided',
  USERNAMES_DISABLED: 'Usernames are not enabled',
  USERNAME_IS_THE_SAME: 'The new username must be different from the current one',
  USER_DOES_NOT_EXIST: 'No account has this email address',
  ALREADY_CONFIRMED: 'This email address is already confirmed',
  DISABLED_ACCOUNT: 'This account is disabled',
  CONFIRMATION_REQUIRED: 'This email address needs to be confirmed first',
  EMAIL_IS_THE_SAME: 'The new email address must be different from the current one',
} as const;
