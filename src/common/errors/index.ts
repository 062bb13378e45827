export { SecurityErrorCode, errorCodeForStatus } from './security-error-codes.js';
export {
  SecurityException,
  UnauthenticatedException,
  ForbiddenAccessException,
  ReauthRequiredException,
  TooManyAttemptsException,
  InvalidTokenException,
  ExpiredTokenException,
  CsrfFailedException,
  ValidationFailedException,
  statusText,
  type FieldErrors,
  type SecurityErrorBody,
  type SecurityExceptionOptions,
} from './security.exception.js';
export {
  SecurityExceptionFilter,
  inResponseShape,
  toSecurityErrorResponse,
  type SecurityErrorResponse,
  type SecurityExceptionFilterOptions,
} from './security-exception.filter.js';
export { FlaskSecurityShapedException, toFlaskSecurityError, type FlaskSecurityErrorResponse } from './flask-security-error.js';
export { configureSecurityApp } from './configure-security-app.js';
export {
  StoreUnavailableException,
  isStoreUnavailableError,
  asStoreUnavailable,
  STORE_UNAVAILABLE_RETRY_AFTER_SECONDS,
} from './store-unavailable.js';
