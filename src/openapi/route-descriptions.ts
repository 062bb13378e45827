/** The answer a route gives on success; each names a schema of answer-schemas.ts. */
export type AnswerKind =
  | 'signIn'
  | 'message'
  | 'messageOrSignIn'
  | 'messageAndSignIn'
  | 'user'
  | 'csrf'
  | 'token'
  | 'sessions'
  | 'ended'
  | 'empty'
  | 'link'
  | 'object';

export interface RouteDescription {
  summary: string;
  answer: AnswerKind;
  /** `?include_auth_token` makes the answer carry `authentication_token`. */
  includeAuthToken?: true;
  /** Query parameters the handler reads (name → description), all required. */
  query?: Readonly<Record<string, string>>;
}

/**
 * One line per route of the JSON API, keyed `${METHOD} ${path under the
 * prefix}` (the comment above each controller method, shortened). Routes of
 * SPEC section 4 that are not built yet are listed too, so they are
 * described the day they are mounted; a mounted route missing here gets a
 * plain summary (and the openapi suite fails, so one is added).
 */
export const ROUTE_DESCRIPTIONS: Readonly<Record<string, RouteDescription>> = {
  'GET login': { summary: 'What a sign-in form needs: identity attributes, a CSRF token, the user when signed in', answer: 'object' },
  'POST login': { summary: 'Sign in with email (or username) and password', answer: 'signIn', includeAuthToken: true },
  'POST logout': { summary: 'End the session', answer: 'empty' },
  'GET csrf': { summary: "The session's CSRF token", answer: 'csrf' },
  'GET me': { summary: 'The signed-in user', answer: 'user' },
  'POST verify': { summary: 'Re-authenticate with the password (the session is fresh again)', answer: 'signIn' },
  'POST tokens/revoke': { summary: 'Revoke every auth token of the caller', answer: 'token', includeAuthToken: true },
  'POST register': { summary: 'Register an account', answer: 'messageOrSignIn', includeAuthToken: true },
  'POST confirm': { summary: 'Send the confirmation link again', answer: 'message' },
  'GET confirm/:token': { summary: 'Confirm the email address (the link of the confirmation mail)', answer: 'link' },
  'POST reset': { summary: 'Mail password reset instructions', answer: 'message' },
  'GET reset/:token': { summary: 'Check a reset link (the link of the reset mail)', answer: 'link' },
  'POST reset/:token': { summary: 'Set a new password with a reset link', answer: 'messageOrSignIn', includeAuthToken: true },
  'POST change': { summary: 'Change the password (signed in, fresh)', answer: 'messageAndSignIn', includeAuthToken: true },
  'POST change-email': { summary: 'Change the email address: mail a link to the new one (signed in, fresh)', answer: 'message' },
  'GET change-email/:token': { summary: 'Confirm the new email address (the link of the mail)', answer: 'link' },
  'GET change-username': { summary: 'The current username (signed in, fresh)', answer: 'object' },
  'POST change-username': { summary: 'Change the username (signed in, fresh)', answer: 'message' },
  'POST recover-username': { summary: 'Mail the username of the account', answer: 'message' },
  'POST login-link': { summary: 'Mail a sign-in link (passwordless)', answer: 'message' },
  'GET login/:token': { summary: 'Sign in by a mailed link', answer: 'link', includeAuthToken: true },
  'POST us-signin/send-code': { summary: 'Mail a sign-in code (unified sign-in)', answer: 'message' },
  'POST us-signin': { summary: 'Sign in with a code or the password (unified sign-in)', answer: 'signIn', includeAuthToken: true },
  'GET us-verify-link': {
    summary: 'Sign in by the link of a code mail (unified sign-in)',
    answer: 'link',
    includeAuthToken: true,
    query: { email: 'The address the code was mailed to', code: 'The code' },
  },
  'POST us-verify/send-code': { summary: 'Mail a code to re-authenticate (signed in)', answer: 'message' },
  'POST us-verify': { summary: 'Re-authenticate with a code (signed in)', answer: 'messageAndSignIn' },
  'GET us-setup': { summary: 'The unified sign-in methods: available, set up, active', answer: 'object' },
  'POST us-setup': { summary: 'Add or remove a unified sign-in method (signed in, fresh)', answer: 'object' },
  'POST us-setup/:token': { summary: 'Finish adding a unified sign-in method with its code', answer: 'object' },
  'POST refresh-token': { summary: 'Trade a refresh token for a new auth token and refresh token', answer: 'signIn' },
  'GET sessions': { summary: "The caller's sessions (device, ip, created, last seen, current)", answer: 'sessions' },
  'DELETE sessions': { summary: 'End every session of the caller but this one (sign out everywhere else)', answer: 'ended' },
  'DELETE sessions/:id': { summary: "End one of the caller's sessions", answer: 'ended' },
  'GET tf-setup': { summary: 'The two-factor methods available and set up', answer: 'object' },
  'POST tf-setup': { summary: 'Start setting up a two-factor method', answer: 'object' },
  'POST tf-setup/:token': { summary: 'Finish setting up a two-factor method with its code', answer: 'object' },
  'POST tf-validate': { summary: 'Pass the second factor with a code', answer: 'signIn', includeAuthToken: true },
  'POST tf-rescue': { summary: 'Ask for help when the second factor is lost', answer: 'object' },
  'POST tf-select': { summary: 'Choose the two-factor method to use', answer: 'object' },
  'GET mf-recovery-codes': { summary: 'Show the recovery codes (signed in, fresh)', answer: 'object' },
  'POST mf-recovery-codes': { summary: 'Make new recovery codes (signed in, fresh)', answer: 'object' },
  'POST mf-recovery': { summary: 'Pass the second factor with a recovery code', answer: 'signIn', includeAuthToken: true },
  'POST wan-register': { summary: 'Start registering a passkey', answer: 'object' },
  'POST wan-register/:token': { summary: 'Finish registering a passkey', answer: 'object' },
  'POST wan-signin': { summary: 'Start signing in with a passkey', answer: 'object' },
  'POST wan-signin/:token': { summary: 'Finish signing in with a passkey', answer: 'signIn', includeAuthToken: true },
  'POST wan-verify': { summary: 'Start re-authenticating with a passkey', answer: 'object' },
  'POST wan-verify/:token': { summary: 'Finish re-authenticating with a passkey', answer: 'object', includeAuthToken: true },
  'POST wan-delete': { summary: 'Remove a passkey', answer: 'object' },
  'GET wan-credentials': { summary: "The caller's passkeys (name, usage, transports, created, last used)", answer: 'object' },
};

/** The description of a route, or a plain one for a route the table does not know yet. */
export function describeRoute(key: string): RouteDescription {
  return ROUTE_DESCRIPTIONS[key] ?? { summary: key, answer: 'object' };
}
