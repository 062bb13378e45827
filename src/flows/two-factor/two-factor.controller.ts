import { Body, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { AuthRequired, CurrentUser, Public } from '../../authn/decorators/index.js';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { TfCodeDto, TfRescueDto, TfSelectDto, TfSetupDto } from './two-factor.dto.js';
import { TwoFactorSetup } from './two-factor-setup.service.js';
import { TwoFactorSignIn } from './two-factor-sign-in.service.js';

/** Two-factor (Flask-Security's /tf-* routes); 404 unless `twoFactor` is on. */
@FlowController('twoFactor')
export class TwoFactorController {
  constructor(
    private readonly setup: TwoFactorSetup,
    private readonly signIn: TwoFactorSignIn,
  ) {}

  /** `GET /tf-setup` (signed in, fresh) → `{ tf_required, tf_method, tf_phone_number, tf_available_methods }`. */
  @AuthRequired({ within: 'configured' })
  @Get('tf-setup')
  info(@CurrentUser() user: SecurityUser) {
    return this.setup.info(user);
  }

  /** `POST /tf-setup {setup, phone?}` (signed in, fresh) → `{ tf_state_token, tf_method, tf_authr_* }`, or 'disable'. */
  @AuthRequired({ within: 'configured' })
  @Post('tf-setup')
  @HttpCode(HttpStatus.OK)
  start(@CurrentUser() user: SecurityUser, @Body() dto: TfSetupDto, @Req() request: object) {
    return this.setup.start(user, dto, requestContext(request));
  }

  /** `POST /tf-setup/:token {code}` (signed in) → `{ tf_method, tf_phone }`: the first right code stores the factor. */
  @AuthRequired()
  @LinkRoute('POST', 'tf-setup')
  @HttpCode(HttpStatus.OK)
  confirm(@CurrentUser() user: SecurityUser, @LinkToken() token: string, @Body() dto: TfCodeDto, @Req() request: object) {
    return this.setup.confirm(user, token, dto.code, requestContext(request));
  }

  /** `POST /tf-validate {code}` (a pending sign-in in this browser) → `{ user, csrf_token, authentication_token? }` + session. */
  @Public()
  @Post('tf-validate')
  @HttpCode(HttpStatus.OK)
  validate(@Body() dto: TfCodeDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.signIn.validate(dto.code, requestContext(request), responseContext(response));
  }

  /** `POST /tf-rescue {help_setup}` → `{ recovery_options, message? }`: a code by email, or a help request. */
  @Public()
  @Post('tf-rescue')
  @HttpCode(HttpStatus.OK)
  rescue(@Body() dto: TfRescueDto, @Req() request: object) {
    return this.signIn.rescue(dto.help_setup, requestContext(request));
  }

  /** `POST /tf-select {which}` → the `tf_required` answer for that method. */
  @Public()
  @Post('tf-select')
  @HttpCode(HttpStatus.OK)
  select(@Body() dto: TfSelectDto, @Req() request: object) {
    return this.signIn.select(dto.which, requestContext(request));
  }
}
