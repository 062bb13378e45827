import { Body, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import { AnonymousRequired, AuthRequired, CurrentUser, Public } from '../../authn/decorators/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { SignInResponder } from '../passwordless/sign-in-responder.service.js';
import { UsPasscodeDto, UsSetupDto, UsSigninDto, UsSigninSendCodeDto, UsVerifySendCodeDto } from './unified-signin.dto.js';
import { UnifiedSigninService } from './unified-signin.service.js';

/** Unified sign-in (Flask-Security's /us-* routes); 404 unless `unifiedSignin` is on. */
@FlowController('unifiedSignin')
export class UnifiedSigninController {
  constructor(
    private readonly us: UnifiedSigninService,
    private readonly responder: SignInResponder,
  ) {}

  /** `POST /us-signin/send-code {identity, chosen_method: 'email'}` → 200 `{ message }`, the same for every identity in generic mode. */
  @Public()
  @Post('us-signin/send-code')
  @HttpCode(HttpStatus.OK)
  async sendSigninCode(@Body() dto: UsSigninSendCodeDto, @Req() request: object) {
    return { message: await this.us.sendSigninCode(dto, requestContext(request)) };
  }

  /** `POST /us-signin {identity, passcode, remember?}` → 200 `{ user, csrf_token, authentication_token? }` + session cookie. */
  @Public()
  @Post('us-signin')
  @HttpCode(HttpStatus.OK)
  signIn(@Body() dto: UsSigninDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.us.signIn(dto, requestContext(request), responseContext(response));
  }

  /**
   * `GET /us-verify-link?email=&code=`: the link of the code mail; signs in, then as GET /login/:token.
   * When two-factor applies (usMfaRequired), a JSON client gets the `tf_required` answer and a
   * browser that is redirected lands on `redirects.loginError?tf_required=1`, signed in to nothing.
   * For callers not signed in, as Flask-Security 5.9's us_verify_link (anonymous_user_required):
   * a followed link must not replace the session a browser already has (400 ANONYMOUS_REQUIRED).
   */
  @AnonymousRequired()
  @Get('us-verify-link')
  async followLink(
    @Query('email') email: unknown,
    @Query('code') code: unknown,
    @Req() request: object,
    @Res() response: object,
  ): Promise<void> {
    const [context, answer] = [requestContext(request), responseContext(response)];
    const followed = await this.us.followLink(email, code, context);
    if (followed.error) return this.responder.failed(context, answer, followed.error, followed.user);
    // Two-factor, for a browser sent on to the SPA: to its login error view with tf_required=1, as Flask-Security.
    if (this.responder.redirectsToLoginError(context) && (await this.us.needsSecondStep(context, followed.user, 'us-email'))) {
      return this.responder.secondFactorRequired(answer, followed.user);
    }
    // Two-factor, for a JSON client: the second step's answer instead of a session (it then posts the code to /tf-validate).
    const secondStep = await this.us.secondStep(context, answer, followed.user, 'us-email', false);
    if (secondStep) return answer.json(HttpStatus.OK, secondStep);
    await this.responder.signedIn(context, answer, followed.user, 'us-email');
  }

  /** `POST /us-verify/send-code {chosen_method: 'email'}` (signed in) → 200 `{ message }`. */
  @AuthRequired()
  @Post('us-verify/send-code')
  @HttpCode(HttpStatus.OK)
  async sendVerifyCode(@CurrentUser() user: SecurityUser, @Body() dto: UsVerifySendCodeDto, @Req() request: object) {
    return { message: await this.us.sendVerifyCode(user, dto, requestContext(request)) };
  }

  /** `POST /us-verify {passcode}` (signed in) → 200 `{ message, user, authentication_token }`; the session is fresh again. */
  @AuthRequired()
  @Post('us-verify')
  @HttpCode(HttpStatus.OK)
  verify(@Body() dto: UsPasscodeDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.us.verify(requestContext(request), responseContext(response), dto);
  }

  /** `GET /us-setup` (signed in, fresh) → `{ available_methods, setup_methods, active_methods, code_methods }`. */
  @AuthRequired({ within: 'configured' })
  @Get('us-setup')
  setupInfo(@CurrentUser() user: SecurityUser) {
    return this.us.setupInfo(user);
  }

  /** `POST /us-setup {chosen_method?, delete_method?}` (signed in, fresh) → 200 `{ message, state?, chosen_method?, active_methods, ... }`. */
  @AuthRequired({ within: 'configured' })
  @Post('us-setup')
  @HttpCode(HttpStatus.OK)
  setup(@CurrentUser() user: SecurityUser, @Body() dto: UsSetupDto) {
    return this.us.setup(user, dto);
  }

  /** `POST /us-setup/:state {passcode}` (signed in) → 200 `{ message, chosen_method, active_methods, ... }`. */
  @AuthRequired()
  @LinkRoute('POST', 'us-setup')
  @HttpCode(HttpStatus.OK)
  validateSetup(@CurrentUser() user: SecurityUser, @LinkToken() token: string, @Body() dto: UsPasscodeDto, @Req() request: object) {
    return this.us.validateSetup(user, token, dto, requestContext(request));
  }
}
