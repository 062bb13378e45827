import { Body, Get, Header, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { AuthRequired, CurrentUser, Public } from '../../authn/decorators/index.js';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { WanCredentialDto, WanDeleteDto, WanRegisterDto, WanSigninDto } from './webauthn.dto.js';
import { WebAuthnService } from './webauthn.service.js';

/** Passkeys (Flask-Security's /wan-* routes); 404 unless `webauthn` is on. */
@FlowController('webauthn')
export class WebAuthnController {
  constructor(private readonly webauthn: WebAuthnService) {}

  /** `POST /wan-register {name, usage}` (signed in, fresh) → `{ credential_options, wan_state }` for navigator.credentials.create. */
  @Post('wan-register')
  @AuthRequired({ within: 'configured' })
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  registerStart(@CurrentUser() user: SecurityUser, @Body() dto: WanRegisterDto) {
    return this.webauthn.registerStart(user, dto.name, dto.usage);
  }

  /** `POST /wan-register/:token {credential}` → `{ name, usage }`: the new passkey is stored. */
  @LinkRoute('POST', 'wan-register')
  @AuthRequired({ within: 'configured' })
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  registerFinish(@CurrentUser() user: SecurityUser, @LinkToken() token: string, @Body() dto: WanCredentialDto) {
    return this.webauthn.registerFinish(user, token, dto.credential);
  }

  /**
   * `POST /wan-signin {identity?, remember?}` → `{ credential_options, wan_state }` for navigator.credentials.get;
   * with a sign-in waiting for its second factor in this browser, `is_secondary: true` and that user's passkeys.
   */
  @Public()
  @Post('wan-signin')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  signinStart(@Body() dto: WanSigninDto, @Req() request: object) {
    return this.webauthn.signinStart(dto.identity, dto.remember === true, requestContext(request));
  }

  /** `POST /wan-signin/:token {credential, remember?}` → `{ user, csrf_token, authentication_token? }` + a new session. */
  @Public()
  @LinkRoute('POST', 'wan-signin')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  signinFinish(
    @LinkToken() token: string,
    @Body() dto: WanCredentialDto,
    @Req() request: object,
    @Res({ passthrough: true }) response: object,
  ) {
    return this.webauthn.signinFinish(token, dto.credential, dto.remember, requestContext(request), responseContext(response));
  }

  /** `POST /wan-verify` (signed in) → `{ credential_options, wan_state }` listing the user's own passkeys. */
  @Post('wan-verify')
  @AuthRequired()
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  verifyStart(@CurrentUser() user: SecurityUser) {
    return this.webauthn.verifyStart(user);
  }

  /** `POST /wan-verify/:token {credential}` → `{ user, authentication_token? }`: the session is fresh again. */
  @LinkRoute('POST', 'wan-verify')
  @AuthRequired()
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  verifyFinish(@CurrentUser() user: SecurityUser, @LinkToken() token: string, @Body() dto: WanCredentialDto, @Req() request: object) {
    return this.webauthn.verifyFinish(user, token, dto.credential, requestContext(request));
  }

  /** `POST /wan-delete {name}` (signed in, fresh) → `{}`; 404 WEBAUTHN_NAME_NOT_FOUND. */
  @Post('wan-delete')
  @AuthRequired({ within: 'configured' })
  @HttpCode(HttpStatus.OK)
  remove(@CurrentUser() user: SecurityUser, @Body() dto: WanDeleteDto) {
    return this.webauthn.remove(user, dto.name);
  }

  /** `GET /wan-credentials` → `{ credentials: [{ name, usage, credential_id, transports, device_type, backup_state, created_at, last_used_at }] }`. */
  @Get('wan-credentials')
  @AuthRequired()
  list(@CurrentUser() user: SecurityUser) {
    return this.webauthn.list(user);
  }
}
