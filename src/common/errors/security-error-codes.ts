/**
 * The stable `code` of every nest-security error body. Clients switch on
 * these, never on `message` (which is prose and may change).
 */
export const SecurityErrorCode = {
  // 400
  BAD_REQUEST: 'BAD_REQUEST',
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  MALFORMED_BODY: 'MALFORMED_BODY',
  /** A body nested too deeply, with too many fields or too much text (SecurityValidationPipe's BodyLimits). */
  BODY_TOO_COMPLEX: 'BODY_TOO_COMPLEX',
  INVALID_TOKEN: 'INVALID_TOKEN',
  EXPIRED_TOKEN: 'EXPIRED_TOKEN',
  CSRF_FAILED: 'CSRF_FAILED',
  ANONYMOUS_REQUIRED: 'ANONYMOUS_REQUIRED',
  // 401
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  REAUTH_REQUIRED: 'REAUTH_REQUIRED',
  /** A refresh token that is not (or no longer) good: sign in again. */
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  /** A refresh token used a second time: its whole family is revoked. */
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  // 403
  FORBIDDEN: 'FORBIDDEN',
  // other 4xx
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  CONFLICT: 'CONFLICT',
  GONE: 'GONE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNPROCESSABLE_ENTITY: 'UNPROCESSABLE_ENTITY',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  // 5xx
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** 503: PostgreSQL or the Redis holding the limits could not be reached; the request failed closed. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** Any other status: the status itself tells what happened. */
  HTTP_ERROR: 'HTTP_ERROR',
} as const;

export type SecurityErrorCode = (typeof SecurityErrorCode)[keyof typeof SecurityErrorCode];

const CODE_BY_STATUS: Readonly<Record<number, SecurityErrorCode>> = {
  400: SecurityErrorCode.BAD_REQUEST,
  401: SecurityErrorCode.UNAUTHENTICATED,
  403: SecurityErrorCode.FORBIDDEN,
  404: SecurityErrorCode.NOT_FOUND,
  405: SecurityErrorCode.METHOD_NOT_ALLOWED,
  406: SecurityErrorCode.NOT_ACCEPTABLE,
  408: SecurityErrorCode.REQUEST_TIMEOUT,
  409: SecurityErrorCode.CONFLICT,
  410: SecurityErrorCode.GONE,
  413: SecurityErrorCode.PAYLOAD_TOO_LARGE,
  415: SecurityErrorCode.UNSUPPORTED_MEDIA_TYPE,
  422: SecurityErrorCode.UNPROCESSABLE_ENTITY,
  429: SecurityErrorCode.TOO_MANY_REQUESTS,
  500: SecurityErrorCode.INTERNAL_ERROR,
  503: SecurityErrorCode.SERVICE_UNAVAILABLE,
};

/** The code for an error that did not bring one (a Nest built-in exception, say). */
export function errorCodeForStatus(status: number): SecurityErrorCode {
  return CODE_BY_STATUS[status] ?? SecurityErrorCode.HTTP_ERROR;
}
