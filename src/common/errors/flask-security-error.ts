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
 * Where Flask-Security answers a case with another status than ours, and
 * under which field its form puts the message. An address already in use
 * is a 409 here, a field error of its change-email form (400) there.
 */
const FLASK_SECURITY_STATUS: Readonly<Record<string, { status: number; field?: string }>> = {
  EMAIL_IN_USE: { status: HttpStatus.BAD_REQUEST, field: 'email' },
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
 * `errors` lists the message and every field message, as Flask-Security's
 * does; `field_errors` is present for field errors only. Our stable `code`
 * stays in `response.code` (Flask-Security clients ignore it), and so do the
 * extras an error carries (`resent`); a REAUTH_REQUIRED says
 * `reauth_required: true`, as Flask-Security's reauthn handler does.
 */
export function toFlaskSecurityError({ status, body, headers }: SecurityErrorResponse): FlaskSecurityErrorResponse {
  const remap = FLASK_SECURITY_STATUS[body.code];
  const messages = Array.isArray(body.message) ? body.message.map(String) : [String(body.message)];
  let fieldErrors = isFieldErrors(body.errors) ? body.errors : undefined;
  if (remap?.field) fieldErrors = { ...fieldErrors, [remap.field]: messages };
  const errors = fieldErrors ? Object.values(fieldErrors).flat() : messages;
  const response: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) if (!CONTRACT_FIELDS.has(name)) response[name] = value;
  if (body.code === SecurityErrorCode.REAUTH_REQUIRED) response.reauth_required = true;
  response.code = body.code;
  if (fieldErrors) response.field_errors = fieldErrors;
  response.errors = errors.length > 0 ? errors : messages;
  const code = remap?.status ?? status;
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
