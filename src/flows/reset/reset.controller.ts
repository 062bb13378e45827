import { Body, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import { AnonymousRequired } from '../../authn/decorators/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { FlowMessage } from '../common/flow-messages.js';
import { FlowSignIn } from '../common/flow-sign-in.service.js';
import { LinkResponder } from '../common/link-responder.service.js';
import { ForgotPasswordDto, ResetPasswordDto } from './reset.dto.js';
import { ResetService } from './reset.service.js';

@FlowController('recoverable')
/** For callers not signed in, as Flask-Security's anonymous_user_required: a signed-in caller gets 400 ANONYMOUS_REQUIRED. */
@AnonymousRequired()
export class ResetController {
  constructor(
    private readonly resets: ResetService,
    private readonly responder: LinkResponder,
    private readonly signIn: FlowSignIn,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** `POST /reset {email}` → 200 `{ message }`, the same for every address in generic mode; 429 past the limits. */
  @Post('reset')
  @HttpCode(HttpStatus.OK)
  async request(@Body() dto: ForgotPasswordDto, @Req() request: object) {
    return { message: await this.resets.request(dto, requestContext(request).ip) };
  }

  /** `GET /reset/:token`: the link of the reset mail; JSON says whether it is good, a SPA is sent to its reset view. */
  @LinkRoute('GET', 'reset')
  async check(@LinkToken() token: string, @Req() request: object, @Res() response: object): Promise<void> {
    await this.responder.respond(requestContext(request), responseContext(response), await this.resets.check(token), 'reset');
  }

  /**
   * `POST /reset/:token {password, password_confirm?}` → 200 `{ message }`, not signed in
   * (a captured link must not yield a session); with `autoLoginAfterReset`
   * signed in: `{ message, user, csrf_token?, authentication_token? }`. A browser's form post
   * (`next` in the body or query) with a safe `next` is redirected there (302).
   */
  @LinkRoute('POST', 'reset')
  @HttpCode(HttpStatus.OK)
  async reset(@LinkToken() token: string, @Body() dto: ResetPasswordDto, @Req() request: object, @Res() response: object): Promise<void> {
    const user = await this.resets.reset(token, dto);
    const message = FlowMessage.PASSWORD_RESET();
    // Not signed in unless autoLoginAfterReset (a captured link must not yield a session); a still unconfirmed account never is.
    const body =
      this.options.autoLoginAfterReset && this.signIn.maySignIn(user)
        ? { message, ...(await this.signIn.signIn(requestContext(request), responseContext(response), user, 'reset')) }
        : { message };
    await this.responder.finished(requestContext(request), responseContext(response), body);
  }
}
