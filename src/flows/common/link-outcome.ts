import type { SecurityException } from '../../common/errors/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import type { RedirectName } from './flow-links.service.js';

/**
 * What following an email link (GET /confirm/:token, /reset/:token,
 * /change-email/:token) came to. The controller turns it into JSON, or into
 * a redirect to the SPA when `redirectBehavior` is 'spa'.
 */
export interface LinkOutcome {
  /** A stable code: EMAIL_CONFIRMED, ALREADY_CONFIRMED, INVALID_TOKEN, EXPIRED_TOKEN, ... */
  code: string;
  /** Flask-Security's message category; the key of the message in SPA redirects. */
  category: 'success' | 'info' | 'error';
  message: string;
  /** The account the link names, when it still names one: its email and identity go into SPA redirects. */
  user: SecurityUser | null;
  /** The front-end URL (of `options.redirects`) a SPA is sent to. */
  redirect: RedirectName;
  /** More query parameters for the SPA redirect (the reset view gets the token). */
  query?: Record<string, string>;
  /** JSON mode: the error to answer with (its status and body); absent for a 200. */
  error?: SecurityException;
  /** JSON mode: more fields of the 200 body. */
  body?: Record<string, unknown>;
  /** Sign this user in before answering (auto-login after confirm). */
  signIn?: SecurityUser | null;
}

/**
 * A link that failed with `error`: the outcome's code and message are the
 * error's; `user` when the link still names an account.
 */
export function failedLink(error: SecurityException, redirect: RedirectName, user: SecurityUser | null = null): LinkOutcome {
  return { code: error.code, category: 'error', message: error.message, user, redirect, error };
}

/** Flask-Security's get_redirect_qparams: the address and the identity (username, else email). */
export function userQuery(user: SecurityUser | null): Record<string, string> {
  if (!user) return {};
  return { email: user.email, identity: user.username || user.email };
}
