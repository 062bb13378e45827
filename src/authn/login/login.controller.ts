import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Req, Res, UseFilters, UseInterceptors, UsePipes } from '@nestjs/common';
import { LINK_OPTIONS, type LinkOptions, REDIRECT_POLICY } from '../../options/option-slices.js';
import { SecurityExceptionFilter } from '../../common/errors/security-exception.filter.js';
import { createSecurityValidationPipe } from '../../common/validation/security-validation.pipe.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import {
  isFormPost,
  NoStoreInterceptor,
  type RedirectPolicy,
  requestContext,
  responseContext,
  safeConfiguredRedirect,
  safeNext,
} from '../../http/index.js';
import { AuthRequired } from '../decorators/auth-required.decorator.js';
import { CurrentUser } from '../decorators/current-user.decorator.js';
import { Public } from '../decorators/public.decorator.js';
import { CsrfOnlyDto } from './dto/csrf-only.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { LogoutDto } from './dto/logout.dto.js';
import { VerifyDto } from './dto/verify.dto.js';
import { LoginFormService } from './login-form.service.js';
import { LoginService, userPayload } from './login.service.js';

/** Sign-in endpoints, under the module's prefix (default /auth). JSON in and out, Flask-Security's field names. */
@Controller()
@UseFilters(SecurityExceptionFilter)
@UsePipes(createSecurityValidationPipe())
@UseInterceptors(NoStoreInterceptor)
export class LoginController {
  private readonly postLogin: string | undefined;

  constructor(
    private readonly login: LoginService,
    private readonly loginForm: LoginFormService,
    @Inject(REDIRECT_POLICY) private readonly redirects: RedirectPolicy,
    @Inject(LINK_OPTIONS) links: LinkOptions,
  ) {
    const target = links.redirects.postLogin;
    this.postLogin = target ? safeConfiguredRedirect(target, redirects) : undefined;
  }

  /**
   * What a sign-in form (a single page app) needs, as Flask-Security's GET
   * /login: `{ identity_attributes, csrf_token }`, and `user` when the
   * caller is signed in already. GET /csrf stays for the token alone.
   */
  @Public()
  @Get('login')
  loginFormInfo(@Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.loginForm.describe(requestContext(request), responseContext(response));
  }

  /**
   * `{ email | username, password, remember?, next? }` → 200 `{ user, csrf_token, authentication_token? }`
   * + session cookie. A browser's form post is redirected instead (302) to
   * its `next` (body, else `?next=`) when that is safe, else to
   * `redirects.postLogin` when set; a JSON client always gets JSON.
   */
  @Public()
  @Post('login')
  @HttpCode(200)
  async signIn(@Body() dto: LoginDto, @Req() platformRequest: object, @Res() platformResponse: object): Promise<void> {
    const request = requestContext(platformRequest);
    const response = responseContext(platformResponse);
    const body = await this.login.login(dto, request, response);
    const redirect = isFormPost(request) ? (safeNext(request, this.redirects) ?? this.postLogin) : undefined;
    if (redirect) return response.redirect(redirect, HttpStatus.FOUND);
    response.json(HttpStatus.OK, body);
  }

  /** Ends the session (and revokes a `refresh_token` given); 200 `{}` even when there was none. */
  @Public()
  @Post('logout')
  @HttpCode(200)
  async signOut(@Body() dto: LogoutDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    await this.login.logout(requestContext(request), responseContext(response), dto.refresh_token);
    return {};
  }

  /** The caller's session CSRF token; without a session, a pre-session one for sign-in forms. */
  @Public()
  @Get('csrf')
  csrf(@Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.login.csrfToken(requestContext(request), responseContext(response));
  }

  @AuthRequired()
  @Get('me')
  me(@CurrentUser() user: SecurityUser) {
    return { user: userPayload(user) };
  }

  /** Re-authenticate: `{ password }` → the session is fresh again; a new auth token is returned. */
  @AuthRequired()
  @Post('verify')
  @HttpCode(200)
  verify(@Body() dto: VerifyDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.login.verify(requestContext(request), responseContext(response), dto.password);
  }

  /** Every auth token of the caller dies (fs_token_uniquifier rotated). `?include_auth_token` returns a new one. */
  @AuthRequired()
  @Post('tokens/revoke')
  @HttpCode(200)
  revoke(@Body() _dto: CsrfOnlyDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.login.revokeTokens(requestContext(request), responseContext(response));
  }
}
