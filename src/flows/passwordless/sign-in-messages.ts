import { formatWithin } from '../../mail/index.js';

/**
 * What the passwordless and unified sign-in flows say, keyed by
 * Flask-Security's message names. Wording is ours; keys are the contract.
 */
export const SignInMessage = {
  LOGIN_EMAIL_SENT: (email: string) => `If ${email} has an account, a sign-in link has been sent to it.`,
  INVALID_LOGIN_TOKEN: () => 'The sign-in link is invalid.',
  USED_LOGIN_TOKEN: () => 'The sign-in link was already used: ask for a new one.',
  LOGIN_EXPIRED: (within: number, resent: boolean) =>
    resent
      ? `The sign-in link has expired (links are valid for ${formatWithin(within)}). A new one has been sent to you.`
      : `The sign-in link has expired (links are valid for ${formatWithin(within)}). Ask for a new one.`,
  LINK_BROWSER_MISMATCH: () => 'Open the sign-in link in the browser you asked for it from, or ask for a new one here.',
  PASSWORDLESS_LOGIN_SUCCESSFUL: () => 'You are signed in.',
  CODE_HAS_BEEN_SENT: () => 'If the account exists and can receive codes, a code has been sent.',
  INVALID_PASSWORD_CODE: () => 'The password or code is not valid.',
  INVALID_CODE: () => 'The code is not valid.',
  CODE_EXPIRED: (within: number) => `The code has expired (codes are valid for ${formatWithin(within)}). Ask for a new one.`,
  US_METHOD_NOT_AVAILABLE: () => 'The requested method is not available.',
  US_SETUP_EXPIRED: (within: number) => `The setup has expired (it must be completed within ${formatWithin(within)}). Start again.`,
  US_SETUP_INVALID: () => 'The setup state is invalid. Start again.',
  US_SETUP_CODE_SENT: () => 'A code has been sent: enter it to finish the setup.',
  US_SETUP_SUCCESSFUL: () => 'Your sign-in methods have been updated.',
  US_LAST_METHOD: () => 'This is your only way to sign in: set a password first.',
  REAUTHENTICATION_SUCCESSFUL: () => 'You have re-authenticated.',
} as const;
