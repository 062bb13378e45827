import { Body, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import { AnonymousRequired, Public } from '../../authn/decorators/index.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { LoginLinkDto } from './passwordless.dto.js';
import { PasswordlessService } from './passwordless.service.js';
import { SignInResponder } from './sign-in-responder.service.js';

/** Passwordless sign-in by email link; 404 unless `passwordless` is on. */
@FlowController('passwordless')
@Public()
export class PasswordlessController {
  constructor(
    private readonly passwordless: PasswordlessService,
    private readonly responder: SignInResponder,
  ) {}

  /** `POST /login-link {email}` → 200 `{ message }`, the same for every address in generic mode. */
  @Post('login-link')
  @HttpCode(HttpStatus.OK)
  async request(@Body() dto: LoginLinkDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return { message: await this.passwordless.request(dto, requestContext(request), responseContext(response)) };
  }

  /**
   * `GET /login/:token`: the link of the mail. Signs in and redirects to
   * `redirects.postLogin`, or answers 200 `{ code: 'LOGIN_SUCCESSFUL', user,
   * csrf_token, authentication_token? }`; errors 400 INVALID_TOKEN,
   * EXPIRED_TOKEN (`resent`), USED_TOKEN, LINK_BROWSER_MISMATCH; a caller
   * already signed in gets 400 ANONYMOUS_REQUIRED (the link stays unused).
   */
  @LinkRoute('GET', 'login')
  @AnonymousRequired()
  async follow(@LinkToken() token: string, @Req() request: object, @Res() response: object): Promise<void> {
    const followed = await this.passwordless.follow(token, requestContext(request), responseContext(response));
    if (followed.error) return this.responder.failed(requestContext(request), responseContext(response), followed.error, followed.user);
    await this.responder.signedIn(requestContext(request), responseContext(response), followed.user, 'passwordless');
  }
}
