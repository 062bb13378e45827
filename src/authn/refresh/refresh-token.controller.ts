import { Body, Controller, HttpCode, Post, Req, Res, UseFilters, UseInterceptors, UsePipes } from '@nestjs/common';
import { SecurityExceptionFilter } from '../../common/errors/security-exception.filter.js';
import { createSecurityValidationPipe } from '../../common/validation/security-validation.pipe.js';
import { NoStoreInterceptor, requestContext, responseContext } from '../../http/index.js';
import { Public } from '../decorators/public.decorator.js';
import { RefreshTokenEndpoint } from './refresh-token-endpoint.service.js';
import { RefreshTokenDto } from './refresh-token.dto.js';

/** Refresh tokens (option `refreshTokens`; 404 while it is off). */
@Controller()
@UseFilters(SecurityExceptionFilter)
@UsePipes(createSecurityValidationPipe())
// Its answers carry tokens: never cached.
@UseInterceptors(NoStoreInterceptor)
export class RefreshTokenController {
  constructor(private readonly endpoint: RefreshTokenEndpoint) {}

  /**
   * `{ refresh_token }` → 200 `{ user, authentication_token, refresh_token }`;
   * 401 REFRESH_TOKEN_INVALID, 401 REFRESH_TOKEN_REUSED (the family is
   * revoked), 429 TOO_MANY_ATTEMPTS. From the body, no CSRF token is
   * needed (no cookie is read). With `refreshTokens.cookieName`: `{}` with
   * the cookie and a CSRF token → 200 `{ user, authentication_token }`,
   * the next token in the cookie (RefreshTokenCookie).
   */
  @Public()
  @Post('refresh-token')
  @HttpCode(200)
  refresh(@Body() dto: RefreshTokenDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.endpoint.refresh(dto.refresh_token, requestContext(request), responseContext(response));
  }
}
