import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject, Logger, Optional } from '@nestjs/common';
import { type RequestContext, requestContext } from '../../http/request-context.js';
import { type ResponseContext, responseContext } from '../../http/response-context.js';
import type { ResponseShape } from '../../http/response-shape.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FlaskSecurityShapedException, toFlaskSecurityError } from './flask-security-error.js';
import { errorCodeForStatus, SecurityErrorCode } from './security-error-codes.js';
import { SecurityErrorBody, SecurityException, statusText } from './security.exception.js';
import { asStoreUnavailable } from './store-unavailable.js';

/** What the filter sends for one exception. */
export interface SecurityErrorResponse {
  status: number;
  body: SecurityErrorBody;
  headers: Record<string, string>;
}

interface HttpErrorLike extends Error {
  status: number;
  statusCode: number;
  expose: boolean;
  type?: string;
}

/** The shape of Fastify's own errors (@fastify/error): body parsing, media type, limits. */
interface FastifyErrorLike extends Error {
  code: string;
  statusCode: number;
}

function isFastifyError(error: unknown): error is FastifyErrorLike {
  return error instanceof Error && error.name === 'FastifyError' && typeof (error as Partial<FastifyErrorLike>).statusCode === 'number';
}

/**
 * A Fastify request error (raw, or as Nest's fastify adapter wraps it: an
 * HttpException whose cause is the FastifyError). Its own message is kept
 * only for a few known, fixed ones; JSON's failures are SyntaxErrors with
 * statusCode 400, handled with body-parser's below.
 */
function fastifyResponse(error: unknown): SecurityErrorResponse | undefined {
  if (!isFastifyError(error) || error.statusCode < 400 || error.statusCode >= 500) return undefined;
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return shaped(HttpStatus.BAD_REQUEST, SecurityErrorCode.MALFORMED_BODY, 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return shaped(HttpStatus.PAYLOAD_TOO_LARGE, SecurityErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large');
    default:
      return shaped(error.statusCode, errorCodeForStatus(error.statusCode), statusText(error.statusCode));
  }
}

/** The shape body-parser's (http-errors') errors have. */
function isHttpErrorLike(error: unknown): error is HttpErrorLike {
  return (
    error instanceof Error &&
    typeof (error as Partial<HttpErrorLike>).statusCode === 'number' &&
    typeof (error as Partial<HttpErrorLike>).expose === 'boolean'
  );
}

/**
 * A body-parser failure, raw or as Nest's express adapter wraps it (an
 * HttpException whose cause is the parser's error). Its own message is
 * replaced: JSON.parse quotes the start of the body, which may be a password.
 */
function bodyParserResponse(error: unknown): SecurityErrorResponse | undefined {
  if (!isHttpErrorLike(error) && !(error instanceof SyntaxError)) return undefined;
  const { type, statusCode } = error as Partial<HttpErrorLike>;
  if (type === 'entity.parse.failed' || (error instanceof SyntaxError && statusCode === 400)) {
    return shaped(HttpStatus.BAD_REQUEST, SecurityErrorCode.MALFORMED_BODY, 'The request body is not valid JSON');
  }
  if (type === 'entity.too.large') {
    return shaped(HttpStatus.PAYLOAD_TOO_LARGE, SecurityErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large');
  }
  if (isHttpErrorLike(error) && error.statusCode >= 400 && error.statusCode < 500) {
    const message = error.expose ? error.message : statusText(error.statusCode);
    return shaped(error.statusCode, errorCodeForStatus(error.statusCode), message);
  }
  return undefined;
}

function shaped(status: number, code: string, message: string): SecurityErrorResponse {
  return { status, body: { statusCode: status, error: statusText(status), message, code }, headers: {} };
}

const INTERNAL_ERROR: Readonly<SecurityErrorResponse> = shaped(
  HttpStatus.INTERNAL_SERVER_ERROR,
  SecurityErrorCode.INTERNAL_ERROR,
  'Internal server error',
);

/**
 * Turns any exception into nest-security's error response: the status, a
 * `{ statusCode, error, message, code }` body and headers. Pure, so other
 * filters can reuse it.
 *
 * - SecurityException: as built (its body already has the shape).
 * - Other HttpExceptions (Nest's built-ins, the host's own): their body kept,
 *   with `error` and `code` filled in when missing.
 * - body-parser errors (malformed JSON, too large): 400 / 413 with a fixed message.
 * - PostgreSQL or Redis unreachable (isStoreUnavailableError): 503
 *   STORE_UNAVAILABLE with Retry-After.
 * - Anything else: 500 INTERNAL_ERROR; the details belong in the log only.
 */
export function toSecurityErrorResponse(exception: unknown): SecurityErrorResponse {
  if (exception instanceof FlaskSecurityShapedException) return toSecurityErrorResponse(exception.original);
  exception = asStoreUnavailable(exception);
  if (exception instanceof SecurityException) {
    return { status: exception.getStatus(), body: exception.getResponse(), headers: { ...exception.headers } };
  }
  if (exception instanceof HttpException) {
    const parsed = bodyParserResponse(exception.cause) ?? fastifyResponse(exception.cause);
    if (parsed) return parsed;
    const status = exception.getStatus();
    const response = exception.getResponse();
    const fields: Record<string, unknown> = typeof response === 'object' && response !== null ? { ...response } : {};
    const message = typeof response === 'string' ? response : (fields.message ?? exception.message ?? statusText(status));
    return {
      status,
      body: {
        ...fields,
        statusCode: status,
        error: typeof fields.error === 'string' ? fields.error : statusText(status),
        message: message as string | string[],
        code: typeof fields.code === 'string' ? fields.code : errorCodeForStatus(status),
      },
      headers: {},
    };
  }
  return bodyParserResponse(exception) ?? fastifyResponse(exception) ?? { ...INTERNAL_ERROR, body: { ...INTERNAL_ERROR.body } };
}

/**
 * An exception as `shape` wants it answered, for throwers whose errors may
 * reach filters other than ours (SecurityGuard on the app's routes): with
 * 'flask-security', an HttpException becomes a FlaskSecurityShapedException
 * whose body is already Flask-Security's envelope.
 */
export function inResponseShape(exception: unknown, shape: ResponseShape): unknown {
  if (shape !== 'flask-security' || !(exception instanceof HttpException) || exception instanceof FlaskSecurityShapedException) {
    return exception;
  }
  return new FlaskSecurityShapedException(exception, toFlaskSecurityError(toSecurityErrorResponse(exception)));
}

/** What the filter reads of the options (none when built outside the module, `new SecurityExceptionFilter()`). */
export type SecurityExceptionFilterOptions = Pick<ResolvedSecurityOptions, 'responseShape' | 'urlPrefix'>;

/**
 * The one place nest-security turns errors into HTTP responses. Bound with
 * `@UseFilters(SecurityExceptionFilter)` on nest-security's controllers; bind
 * it globally (`configureSecurityApp(app)`) as well so that errors raised
 * before routing, which route-scoped filters never see (malformed JSON, a
 * body over the size limit, unknown routes), get the same shape.
 *
 * 5xx answers are logged with their stack; the body says only
 * "Internal server error". 4xx answers are not logged.
 *
 * With `responseShape: 'flask-security'` the answer is shaped once more
 * (toFlaskSecurityError) on the module's routes: answers the
 * SecurityRouteInterceptor marked, errors SecurityGuard shaped, and errors
 * raised before routing (malformed body, unknown route) on a path under the
 * module's prefix (unless the prefix is `/`: the app's own routes keep
 * their errors).
 */
@Catch()
export class SecurityExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SecurityExceptionFilter');

  constructor(@Optional() @Inject(SECURITY_OPTIONS) private readonly options?: SecurityExceptionFilterOptions) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    // Express's or Fastify's request and response, read and written through the one boundary (src/http).
    const http = host.switchToHttp();
    const request = requestContext(http.getRequest<object>());
    const response = responseContext(http.getResponse<object>());
    const plain = toSecurityErrorResponse(exception);
    const { status, body, headers } = this.wantsFlaskSecurityShape(exception, request, response) ? toFlaskSecurityError(plain) : plain;
    if (plain.body.code === SecurityErrorCode.STORE_UNAVAILABLE) {
      // Expected while the database restarts: one line, no stack.
      this.logger.warn(
        `503 answered: a store is unreachable (${describe(exception instanceof SecurityException ? exception.cause : exception)})`,
      );
    } else if (plain.status >= 500) {
      this.logger.error(`${plain.status} answered for ${describe(exception)}`, exception instanceof Error ? exception.stack : undefined);
    }
    if (response.headersSent) return response.end();
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.json(status, body);
  }

  private wantsFlaskSecurityShape(exception: unknown, request: RequestContext, response: ResponseContext): boolean {
    if (exception instanceof FlaskSecurityShapedException || response.shape === 'flask-security') return true;
    if (this.options?.responseShape !== 'flask-security') return false;
    const prefix = this.options.urlPrefix;
    return prefix !== '/' && (request.path === prefix || request.path.startsWith(`${prefix}/`));
  }
}

function describe(exception: unknown): string {
  if (exception instanceof Error) return `${exception.name}: ${exception.message}`;
  return `a thrown ${typeof exception}`;
}
