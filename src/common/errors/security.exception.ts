import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { SecurityErrorCode } from './security-error-codes.js';

/**
 * The body of every nest-security error: Nest's own shape plus a stable
 * `code`. Some errors add fields (`errors` for validation).
 */
export interface SecurityErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code: string;
  [extra: string]: unknown;
}

export interface SecurityExceptionOptions {
  /** Kept for the server log; never sent. */
  cause?: unknown;
  /** Response headers (Retry-After, WWW-Authenticate) the SecurityExceptionFilter sets. */
  headers?: Record<string, string>;
}

/** The reason phrase of a status ("Forbidden"), as Nest puts in `error`. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * Base of nest-security's errors. The response body is complete in the
 * exception itself, so it keeps its shape even where the
 * SecurityExceptionFilter is not bound (a host route protected by
 * `@RolesRequired` answers through the host's filters). Headers, though, need
 * the filter, or a thrower that sets them on the response itself.
 */
export class SecurityException extends HttpException {
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, extra?: Record<string, unknown>, options: SecurityExceptionOptions = {}) {
    // extra first: it can add fields but never replace the four of the contract
    const body: SecurityErrorBody = { ...extra, statusCode: status, error: statusText(status), message, code };
    super(body, status, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.headers = { ...options.headers };
  }

  override getResponse(): SecurityErrorBody {
    return super.getResponse() as SecurityErrorBody;
  }
}

/** 401: no credentials, or credentials that do not identify an active user. */
export class UnauthenticatedException extends SecurityException {
  constructor(message = 'Authentication is required to access this resource', options?: SecurityExceptionOptions) {
    super(HttpStatus.UNAUTHORIZED, SecurityErrorCode.UNAUTHENTICATED, message, undefined, options);
  }
}

/** 403: authenticated, but without the role or permission the route requires. */
export class ForbiddenAccessException extends SecurityException {
  constructor(message = 'You do not have the role or permission this resource requires', options?: SecurityExceptionOptions) {
    super(HttpStatus.FORBIDDEN, SecurityErrorCode.FORBIDDEN, message, undefined, options);
  }
}

/** 401: authenticated, but not recently enough for this route (freshness). */
export class ReauthRequiredException extends SecurityException {
  constructor(message = 'Recent authentication is required: verify your credentials again', options?: SecurityExceptionOptions) {
    super(HttpStatus.UNAUTHORIZED, SecurityErrorCode.REAUTH_REQUIRED, message, undefined, options);
  }
}

/**
 * 429: locked out by the brute-force limits. `retryAfter` (whole seconds,
 * rounded up) goes out as the `Retry-After` header.
 */
export class TooManyAttemptsException extends SecurityException {
  readonly retryAfter: number | undefined;

  constructor(retryAfterSeconds?: number, message = 'Too many attempts: try again later', options: SecurityExceptionOptions = {}) {
    const retryAfter =
      retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) ? undefined : Math.max(1, Math.ceil(retryAfterSeconds));
    const headers = retryAfter === undefined ? options.headers : { ...options.headers, 'Retry-After': String(retryAfter) };
    super(HttpStatus.TOO_MANY_REQUESTS, SecurityErrorCode.TOO_MANY_ATTEMPTS, message, undefined, { ...options, headers });
    this.retryAfter = retryAfter;
  }
}

/** 400: a link token that is malformed, tampered with, or already used. */
export class InvalidTokenException extends SecurityException {
  constructor(message = 'The token is invalid', options?: SecurityExceptionOptions) {
    super(HttpStatus.BAD_REQUEST, SecurityErrorCode.INVALID_TOKEN, message, undefined, options);
  }
}

/** 400: a well-signed link token past its lifetime. */
export class ExpiredTokenException extends SecurityException {
  constructor(message = 'The token has expired', options?: SecurityExceptionOptions) {
    super(HttpStatus.BAD_REQUEST, SecurityErrorCode.EXPIRED_TOKEN, message, undefined, options);
  }
}

/** 400: a missing or wrong CSRF token on a cookie-authenticated request (400, as Flask-WTF's CSRFError). */
export class CsrfFailedException extends SecurityException {
  constructor(message = 'The CSRF token is missing or invalid', options?: SecurityExceptionOptions) {
    super(HttpStatus.BAD_REQUEST, SecurityErrorCode.CSRF_FAILED, message, undefined, options);
  }
}

/** Field errors: property path (`profile.age`, `items.0.name`) to its messages. */
export type FieldErrors = Record<string, string[]>;

/** 400: a body, query or parameter that fails its DTO; `errors` says which field and why. */
export class ValidationFailedException extends SecurityException {
  readonly errors: FieldErrors;

  constructor(errors: FieldErrors, message = 'Validation failed', options?: SecurityExceptionOptions) {
    super(HttpStatus.BAD_REQUEST, SecurityErrorCode.VALIDATION_ERROR, message, { errors }, options);
    this.errors = errors;
  }
}
