import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  type NestInterceptor,
  RequestMethod,
  type Type,
} from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { from, mergeMap, type Observable, switchMap } from 'rxjs';
import { getAuthentication } from '../authn/authentication.js';
import { CsrfService } from '../authn/csrf/csrf.service.js';
import { SessionService } from '../authn/session/session.service.js';
import { SecurityErrorCode } from '../common/errors/security-error-codes.js';
import { CsrfFailedException, SecurityException } from '../common/errors/security.exception.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { isFormEncoded, normaliseFormFields } from './form-body.js';
import { type RequestContext, requestContext } from './request-context.js';
import { type ResponseContext, responseContext } from './response-context.js';
import { flaskSecuritySuccess } from './response-shape.js';

/** The controllers SecurityModule mounts: the routes SecurityRouteInterceptor acts on. */
export const SECURITY_ROUTE_CONTROLLERS = Symbol('nest-security:route-controllers');

/**
 * What every route of the module shares, bound app-wide (APP_INTERCEPTOR)
 * and acting only on the module's own controllers:
 *
 * 1. Form-encoded bodies pass only with a valid CSRF token (the session's,
 *    or a pre-session one from GET /csrf), in the `csrf_token` field or the
 *    CSRF header, as Flask-Security's forms require. Without it a
 *    cross-site HTML form could post `email=...&password=...` to /login and
 *    sign the browser in to the attacker's account (login CSRF).
 * 2. With `responseShape: 'flask-security'`, the answer is marked for that
 *    shape (the filter's errors, ResponseContext.json's direct writes) and
 *    returned bodies are wrapped in Flask-Security's envelope, with the
 *    `csrf_token` every Flask-Security JSON answer carries.
 */
@Injectable()
export class SecurityRouteInterceptor implements NestInterceptor {
  constructor(
    @Inject(SECURITY_ROUTE_CONTROLLERS) private readonly controllers: ReadonlySet<Type>,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    private readonly csrf: CsrfService,
    private readonly sessions: SessionService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.controllers.has(context.getClass())) return next.handle();
    const http = context.switchToHttp();
    const request = requestContext(http.getRequest<object>());
    const response = responseContext(http.getResponse<object>());
    const flaskSecurity = this.options.responseShape === 'flask-security';
    if (flaskSecurity) response.shape = 'flask-security';
    // Most requests are JSON: no detour through a promise for them.
    const answered = isFormEncoded(request) ? from(this.checkFormBody(request)).pipe(switchMap(() => next.handle())) : next.handle();
    if (!flaskSecurity) return answered;
    const status = successStatus(context);
    return answered.pipe(mergeMap((body) => this.envelope(request, response, status, body)));
  }

  /** 415 when CSRF protection is off (forms would be unprotected); 400 CSRF_FAILED without a valid token. */
  protected async checkFormBody(request: RequestContext): Promise<void> {
    if (!isFormEncoded(request) || !this.csrf.isStateChanging(request)) return;
    if (!this.csrf.enabled) {
      throw new SecurityException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        SecurityErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Form-encoded bodies are accepted only with CSRF protection on: send JSON',
      );
    }
    if (!this.csrf.hasPreSessionToken(request) && !(await this.hasLiveSessionToken(request))) {
      throw new CsrfFailedException('A form-encoded body needs a valid CSRF token (GET /csrf gives one)');
    }
    normaliseFormFields(request.body);
  }

  /** A returned body in Flask-Security's envelope, with a csrf_token. Bodies already written (`@Res()`) are left alone. */
  private async envelope(request: RequestContext, response: ResponseContext, status: number, body: unknown): Promise<unknown> {
    if (response.headersSent || (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))) return body;
    const shaped = flaskSecuritySuccess(status, body);
    if (shaped.response.csrf_token == null && this.csrf.enabled) shaped.response.csrf_token = await this.csrfTokenFor(request, response);
    return shaped;
  }

  /** The token of the caller's session, or else a pre-session one (its cookies set). */
  private async csrfTokenFor(request: RequestContext, response: ResponseContext): Promise<string> {
    const session = getAuthentication(request)?.session ?? (await this.liveSession(request));
    return session?.csrfToken ?? this.csrf.issuePreSessionToken(request, response);
  }

  private async hasLiveSessionToken(request: RequestContext): Promise<boolean> {
    const session = await this.liveSession(request);
    return session !== null && this.csrf.hasSessionToken(request, session);
  }

  private async liveSession(request: RequestContext) {
    const secret = this.sessions.secretFrom(request);
    return secret ? this.sessions.find(secret) : null;
  }
}

/** The status Nest sends for a returned body: `@HttpCode()`, else 201 for POST and 200 for the rest. */
function successStatus(context: ExecutionContext): number {
  const declared = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined;
  if (declared !== undefined) return declared;
  const method = (Reflect.getMetadata(METHOD_METADATA, context.getHandler()) as RequestMethod | undefined) ?? RequestMethod.GET;
  return method === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK;
}
