/**
 * The JSON shapes the module's routes can answer in (option `responseShape`).
 *
 * - 'nest-security': the body as the route returns it; errors
 *   `{ statusCode, error, message, code }`.
 * - 'flask-security': Flask-Security's JSON API envelope, so a front end
 *   written for it works unchanged: `{ meta: { code: <status> }, response: { ... } }`,
 *   the auth and refresh tokens inside `response.user`, errors under
 *   `response.errors` (a list) and `response.field_errors` ({ field: [messages] }).
 */
export type ResponseShape = 'nest-security' | 'flask-security';

export interface FlaskSecurityEnvelope {
  meta: { code: number };
  response: Record<string, unknown>;
}

/** Fields Flask-Security returns inside `response.user` rather than beside it. */
const USER_TOKEN_FIELDS = ['authentication_token', 'refresh_token'] as const;

export function flaskSecurityEnvelope(code: number, response: Record<string, unknown>): FlaskSecurityEnvelope {
  return { meta: { code }, response };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A success body in Flask-Security's envelope. `authentication_token` and
 * `refresh_token` move into `response.user` (created when the body has no
 * user), as Flask-Security's response_tokens puts them. No body becomes
 * `response: {}`; a body that is not an object (the module's routes answer
 * none) is kept under `response.result`.
 */
export function flaskSecuritySuccess(status: number, body: unknown): FlaskSecurityEnvelope {
  if (body === undefined || body === null) return flaskSecurityEnvelope(status, {});
  if (!isPlainObject(body)) return flaskSecurityEnvelope(status, { result: body });
  const response: Record<string, unknown> = { ...body };
  for (const field of USER_TOKEN_FIELDS) {
    if (response[field] === undefined) continue;
    const user = isPlainObject(response.user) ? { ...response.user } : {};
    user[field] = response[field];
    response.user = user;
    delete response[field];
  }
  return flaskSecurityEnvelope(status, response);
}
