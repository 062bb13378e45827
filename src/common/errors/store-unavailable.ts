import { HttpStatus } from '@nestjs/common';
import { SecurityErrorCode } from './security-error-codes.js';
import { SecurityException } from './security.exception.js';

/** Seconds a client is told to wait before retrying while a store is down. */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * 503: a store nest-security needs for this request (PostgreSQL, the Redis
 * holding the limits) cannot be reached. The request failed closed: nothing
 * was checked, so nothing is granted. Retry-After tells clients when to try again.
 */
export class StoreUnavailableException extends SecurityException {
  constructor(cause?: unknown) {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      SecurityErrorCode.STORE_UNAVAILABLE,
      'The service is temporarily unavailable; try again shortly',
      undefined,
      { cause, headers: { 'Retry-After': String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS) } },
    );
  }
}

// Socket-level failures: the server is not there, or the connection to it broke.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// PostgreSQL SQLSTATEs of a server going away: admin / crash shutdown, cannot connect now, too many connections.
const POSTGRES_UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

// Messages of pg, pg-pool, TypeORM and ioredis that carry no code.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // pg: "Connection terminated unexpectedly", "... due to connection timeout"
  /^timeout exceeded when trying to connect/, // pg-pool
  /^Client has encountered a connection error and is not queryable/, // pg
  /^Client was closed and is not queryable/, // pg
  /^Cannot use a pool after calling end on the pool/, // pg-pool, while shutting down
  /^Connection is closed\.?$/, // ioredis
  /^Stream isn't writeable and enableOfflineQueue options is false/, // ioredis
  /^Reached the max retries per request limit/, // ioredis MaxRetriesPerRequestError
];

const UNAVAILABLE_ERROR_NAMES = new Set(['CannotConnectAlreadyConnectedError', 'ConnectionIsNotSetError', 'MaxRetriesPerRequestError']);

interface ErrorFields {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

/**
 * Whether an error means "the database or Redis could not be reached"
 * rather than "this query was wrong": pg's and ioredis' socket errors,
 * PostgreSQL's shutdown and connection-class (08xxx) SQLSTATEs, and the
 * same wrapped by TypeORM (QueryFailedError.driverError), in a `cause`, or
 * in an AggregateError (node's connect to every address of a host). The one
 * place such errors are recognised.
 */
export function isStoreUnavailableError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof StoreUnavailableException) return true;
  const { code, message, name, cause, driverError, errors } = error as ErrorFields;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return true;
  }
  if (typeof name === 'string' && UNAVAILABLE_ERROR_NAMES.has(name)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((inner) => isStoreUnavailableError(inner, depth + 1))) return true;
  return isStoreUnavailableError(driverError, depth + 1) || isStoreUnavailableError(cause, depth + 1);
}

/** The error as it should be answered: a StoreUnavailableException when a store was unreachable, else itself. */
export function asStoreUnavailable(error: unknown): unknown {
  if (error instanceof SecurityException) return error;
  return isStoreUnavailableError(error) ? new StoreUnavailableException(error) : error;
}
