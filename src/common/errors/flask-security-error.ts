import { HttpException, HttpStatus } from '@nestjs/common';
import { type FlaskSecurityEnvelope, flaskSecurityEnvelope } from '../../http/response-shape.js';
import { SecurityErrorCode } from './security-error-codes.js';
import type { SecurityErrorResponse } from './security-exception.filter.js';
import type { FieldErrors } from './security.exception.js';

/** An error response in Flask-Security's envelope. */
export interface FlaskSecurityErrorResponse {
  status: number;
  body: FlaskSecurityEnvelope;
  headers: Record<string, string>;
}

/** The four fields of our error body, and `errors`, which become Flask-Security's lists. */
const CONTRACT_FIELDS = new Set(['statusCode', 'error', 'message', 'code', 'errors']);

/**
 * Where Flask-Security answers a case with another status than ours. It
 * never answers 409: an address taken by the time its change-email link is
 * followed is one more 400 there.
 */
const FLASK_SECURITY_STATUS: Readonly<Record<string, number>> = {
  EMAIL_IN_USE: HttpStatus.BAD_REQUEST,
};

function isFieldErrors(value: unknown): value is FieldErrors {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((messages) => Array.isArray(messages) && messages.every((m) => typeof m === 'string'))
  );
}

/**
 * Our error response (toSecurityErrorResponse's) as Flask-Security's
 * json_error_response + render_json give it:
 * `{ meta: { code }, response: { errors: [...], field_errors?: {...} } }`.
 * `errors` is the message, or for field errors every field message (as
 * Flask-Security lists them); `field_errors` is present for field errors only. Our stable `code`
 * stays in `response.code` (Flask-Security clients ignore it), and so do the
 * extras an error carries (`resent`); a REAUTH_REQUIRED says
 * `reauth_required: true`, as Flask-Security's reauthn handler does.
 */
export function toFlaskSecurityError({ status, body, headers }: SecurityErrorResponse): FlaskSecurityErrorResponse {
  const messages = Array.isArray(body.message) ? body.message.map(String) : [String(body.message)];
  const fieldErrors = isFieldErrors(body.errors) ? body.errors : undefined;
  const errors = fieldErrors ? Object.values(fieldErrors).flat() : messages;
  const response: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) if (!CONTRACT_FIELDS.has(name)) response[name] = value;
  if (body.code === SecurityErrorCode.REAUTH_REQUIRED) response.reauth_required = true;
  response.code = body.code;
  if (fieldErrors) response.field_errors = fieldErrors;
  response.errors = errors.length > 0 ? errors : messages;
  const code = FLASK_SECURITY_STATUS[body.code] ?? status;
  return { status: code, body: flaskSecurityEnvelope(code, response), headers: { ...headers } };
}

/**
 * A SecurityException already in Flask-Security's envelope: what
 * SecurityGuard throws with `responseShape: 'flask-security'`, so that its
 * 401 / 403 on the app's own routes keep the shape whatever filter answers
 * them (Nest's default one sends `getResponse()` with `getStatus()`). The
 * SecurityExceptionFilter unwraps `original`.
 */
export class FlaskSecurityShapedException extends HttpException {
  constructor(
    readonly original: HttpException,
    shaped: FlaskSecurityErrorResponse,
  ) {
    super(shaped.body, shaped.status, { cause: original });
  }
}
