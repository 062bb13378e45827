import { Body, Get, Header, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { Public } from '../../authn/decorators/index.js';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { TfCodeDto, TfRescueDto, TfSelectDto, TfSetupDto } from './two-factor.dto.js';
import { TfSetupActors } from './tf-setup-actor.service.js';
import { TwoFactorSetup } from './two-factor-setup.service.js';
import { TwoFactorSignIn } from './two-factor-sign-in.service.js';

/** Two-factor (Flask-Security's /tf-* routes); 404 unless `twoFactor` is on. */
@FlowController('twoFactor')
export class TwoFactorController {
  constructor(
    private readonly setup: TwoFactorSetup,
    private readonly signIn: TwoFactorSignIn,
    private readonly actors: TfSetupActors,
  ) {}

  /** `GET /tf-setup` (signed in and fresh, or a sign-in waiting for its first setup) → `{ tf_required, tf_method, tf_available_methods, ... }`. */
  @Public()
  @Get('tf-setup')
  @Header('Cache-Control', 'no-store')
  async info(@Req() request: object) {
    const actor = await this.actors.resolve(requestContext(request), { fresh: true });
    return this.setup.info(actor.user);
  }

  /** `POST /tf-setup {setup, phone?}` (as GET) → `{ tf_state_token, tf_method, tf_authr_* }`, or 'disable'. */
  @Public()
  @Post('tf-setup')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  async start(@Body() dto: TfSetupDto, @Req() request: object) {
    const actor = await this.actors.resolve(requestContext(request), { fresh: true });
    return this.setup.start(actor, dto, requestContext(request));
  }

  /** `POST /tf-setup/:token {code}` → `{ tf_method, tf_phone }`: the first right code stores the factor (and finishes a pending sign-in). */
  @Public()
  @LinkRoute('POST', 'tf-setup')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  async confirm(@LinkToken() token: string, @Body() dto: TfCodeDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    const actor = await this.actors.resolve(requestContext(request), { fresh: false });
    return this.setup.confirm(actor, token, dto.code, requestContext(request), responseContext(response));
  }

  /** `POST /tf-validate {code}` (a pending sign-in in this browser) → `{ user, csrf_token, authentication_token? }` + session. */
  @Public()
  @Post('tf-validate')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  validate(@Body() dto: TfCodeDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.signIn.validate(dto.code, requestContext(request), responseContext(response));
  }

  /** `POST /tf-rescue {help_setup}` → `{ recovery_options, message? }`: a code by email, or a help request. */
  @Public()
  @Post('tf-rescue')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  rescue(@Body() dto: TfRescueDto, @Req() request: object) {
    return this.signIn.rescue(dto.help_setup, requestContext(request));
  }

  /** `POST /tf-select {which}` → the `tf_required` answer for that method. */
  @Public()
  @Post('tf-select')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  select(@Body() dto: TfSelectDto, @Req() request: object) {
    return this.signIn.select(dto.which, requestContext(request));
  }
}
