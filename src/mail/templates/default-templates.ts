/**
 * The mails nest-security sends, one per flow event. Names are a contract:
 * flows send them by name and users override them by name
 * (`options.mail.templates[name]`).
 */
import { formatWithin, type MailContextBase, type MailTemplate, type Within } from './mail-template.js';

export interface MailTemplateContexts {
  /** After register; `link` (the confirm link) when confirmable. */
  welcome: MailContextBase & { username?: string; link?: string; within?: Within };
  /** Confirm link, on (re)send. */
  confirm_instructions: MailContextBase & { link: string; within?: Within };
  /** Reset link. */
  reset_instructions: MailContextBase & { link: string; within?: Within };
  /** The password was reset through a reset link. */
  reset_notice: MailContextBase;
  /** The password was changed; `resetLink` (where to ask for a reset) when recoverable. */
  change_notice: MailContextBase & { resetLink?: string };
  /** To the new address: confirm the change. `email` is the current address. */
  change_email_instructions: MailContextBase & { newEmail: string; link: string; within?: Within };
  /** To the old address, once the change is done. */
  change_email_notice: MailContextBase & { newEmail: string };
  /** Passwordless login link. */
  login_instructions: MailContextBase & { link: string; within?: Within };
  /** Unified sign-in code; `link` when a login link is sent with it. */
  us_code: MailContextBase & { code: string; within?: Within; link?: string };
  /** The username(s) registered with this address. */
  username_recovery: MailContextBase & { username: string };
  /** The username was changed (POST /change-username); `previousUsername` null when there was none. */
  change_username_notice: MailContextBase & { username: string; previousUsername: string | null };
  /** Someone tried to register with an address (or username) that has an account. */
  register_existing: MailContextBase & { username?: string; resetLink?: string };
  register_username_taken: MailContextBase & { username: string };
  /** Two-factor code by email (sign-in, setup, rescue). */
  two_factor_instructions: MailContextBase & { code: string; within?: Within };
  /** To `twoFactorRescueMail`: a user who lost their second factor asks for help. */
  two_factor_rescue: MailContextBase & { userEmail: string };
}

export type MailTemplateName = keyof MailTemplateContexts;

const expires = (within: Within | undefined, what: string): string | undefined =>
  within === undefined ? undefined : `${what} expires in ${formatWithin(within)}.`;

const NOT_YOU = 'If you did not ask for this, you can ignore this message.';

export const DEFAULT_MAIL_TEMPLATES: { [N in MailTemplateName]: MailTemplate<MailTemplateContexts[N]> } = {
  welcome: {
    subject: () => 'Welcome',
    blocks: (c) => [
      `Welcome, ${c.username ?? c.email}. Your account has been created.`,
      c.link && 'Please confirm your email address with the link below.',
      c.link && { href: c.link, label: 'Confirm my email address' },
      c.link && expires(c.within, 'This link'),
    ],
  },
  confirm_instructions: {
    subject: () => 'Please confirm your email address',
    blocks: (c) => [
      `Please confirm that ${c.email} is your email address with the link below.`,
      { href: c.link, label: 'Confirm my email address' },
      expires(c.within, 'This link'),
      NOT_YOU,
    ],
  },
  reset_instructions: {
    subject: () => 'Password reset instructions',
    blocks: (c) => [
      `A password reset was requested for the account of ${c.email}. Choose a new password with the link below.`,
      { href: c.link, label: 'Reset my password' },
      expires(c.within, 'This link'),
      `${NOT_YOU} Your password stays as it is.`,
    ],
  },
  reset_notice: {
    subject: () => 'Your password has been reset',
    blocks: (c) => [`The password of the account of ${c.email} has just been reset.`, 'If you did not do this, contact us right away.'],
  },
  change_notice: {
    subject: () => 'Your password has been changed',
    blocks: (c) => [
      `The password of the account of ${c.email} has just been changed.`,
      c.resetLink
        ? 'If you did not do this, reset your password now with the link below.'
        : 'If you did not do this, contact us right away.',
      c.resetLink && { href: c.resetLink, label: 'Reset my password' },
    ],
  },
  change_email_instructions: {
    subject: () => 'Confirm your new email address',
    blocks: (c) => [
      `A request was made to change the email address of the account of ${c.email} to ${c.newEmail}. Confirm the change with the link below.`,
      { href: c.link, label: 'Confirm my new email address' },
      expires(c.within, 'This link'),
      `${NOT_YOU} Nothing changes until the link is used.`,
    ],
  },
  change_email_notice: {
    subject: () => 'Your email address has been changed',
    blocks: (c) => [
      `The email address of your account has been changed from ${c.email} to ${c.newEmail}. Mail for the account now goes to the new address.`,
      'If you did not do this, contact us right away.',
    ],
  },
  login_instructions: {
    subject: () => 'Your login link',
    blocks: (c) => [
      `Sign in to the account of ${c.email} with the link below.`,
      { href: c.link, label: 'Sign me in' },
      expires(c.within, 'This link'),
      NOT_YOU,
    ],
  },
  us_code: {
    subject: () => 'Your sign-in code',
    blocks: (c) => [
      `Your sign-in code is: ${c.code}`,
      expires(c.within, 'The code'),
      c.link && 'Or sign in with the link below.',
      c.link && { href: c.link, label: 'Sign me in' },
      NOT_YOU,
    ],
  },
  two_factor_instructions: {
    subject: () => 'Your two-factor code',
    blocks: (c) => [`Your two-factor sign-in code is: ${c.code}`, expires(c.within, 'The code'), NOT_YOU],
  },
  two_factor_rescue: {
    subject: () => 'Two-factor rescue request',
    blocks: (c) => [`The user ${c.userEmail} cannot complete two-factor sign-in and asks for help.`],
  },
  username_recovery: {
    subject: () => 'Your username',
    blocks: (c) => [`The username of the account of ${c.email} is: ${c.username}`, NOT_YOU],
  },
  change_username_notice: {
    subject: () => 'Your username has been changed',
    blocks: (c) => [
      c.previousUsername
        ? `The username of the account of ${c.email} has been changed from ${c.previousUsername} to ${c.username}.`
        : `The account of ${c.email} now has the username ${c.username}.`,
      'If you did not do this, contact us right away.',
    ],
  },
  register_existing: {
    subject: () => 'Account registration',
    blocks: (c) => [
      c.username
        ? `Someone tried to register an account with the username ${c.username}, which is already yours.`
        : `Someone tried to register an account with ${c.email}, which already has an account.`,
      'If that was you: you already have an account and can sign in with it.',
      c.resetLink && 'If you forgot your password, reset it with the link below.',
      c.resetLink && { href: c.resetLink, label: 'Reset my password' },
      'If it was not you, you can ignore this message; nothing was changed.',
    ],
  },
  register_username_taken: {
    subject: () => 'Account registration',
    blocks: (c) => [
      `Someone tried to register an account for ${c.email} with the username ${c.username}, which is already taken.`,
      'If that was you, please register again with another username; no account was created.',
      'If it was not you, you can ignore this message.',
    ],
  },
};

export const MAIL_TEMPLATE_NAMES = Object.keys(DEFAULT_MAIL_TEMPLATES) as MailTemplateName[];
