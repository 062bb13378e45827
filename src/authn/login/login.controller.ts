import { Body, Controller, Get, HttpCode, Post, Req, Res, UseFilters, UsePipes } from '@nestjs/common';
import { SecurityExceptionFilter } from '../../common/errors/security-exception.filter.js';
import { createSecurityValidationPipe } from '../../common/validation/security-validation.pipe.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { requestContext, responseContext } from '../../http/index.js';
import { AuthRequired } from '../decorators/auth-required.decorator.js';
import { CurrentUser } from '../decorators/current-user.decorator.js';
import { Public } from '../decorators/public.decorator.js';
import { CsrfOnlyDto } from './dto/csrf-only.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { LogoutDto } from './dto/logout.dto.js';
import { VerifyDto } from './dto/verify.dto.js';
import { LoginService, userPayload } from './login.service.js';

/** Sign-in endpoints, under the module's prefix (default /auth). JSON in and out, Flask-Security's field names. */
@Controller()
@UseFilters(SecurityExceptionFilter)
@UsePipes(createSecurityValidationPipe())
export class LoginController {
  constructor(private readonly login: LoginService) {}

  /** `{ email | username, password, remember? }` → 200 `{ user, csrf_token, authentication_token? }` + session cookie. */
  @Public()
  @Post('login')
  @HttpCode(200)
  signIn(@Body() dto: LoginDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.login.login(dto, requestContext(request), responseContext(response));
  }

  /** Ends the session (and revokes a `refresh_token` given); 200 `{}` even when there was none. */
  @Public()
  @Post('logout')
  @HttpCode(200)
  async signOut(@Body() dto: LogoutDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    await this.login.logout(requestContext(request), responseContext(response), dto.refresh_token);
    return {};
  }

  /** The caller's session CSRF token (`{ csrf_token: null }` without a session). */
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
  verify(@Body() dto: VerifyDto, @Req() request: object) {
    return this.login.verify(requestContext(request), dto.password);
  }

  /** Every auth token of the caller dies (fs_token_uniquifier rotated). `?include_auth_token` returns a new one. */
  @AuthRequired()
  @Post('tokens/revoke')
  @HttpCode(200)
  revoke(@Body() _dto: CsrfOnlyDto, @Req() request: object) {
    return this.login.revokeTokens(requestContext(request));
  }
}
