import { Body, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { requestContext, responseContext } from '../../http/index.js';
import { AnonymousRequired } from '../../authn/decorators/index.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { FlowSignIn } from '../common/flow-sign-in.service.js';
import { RegisterDto } from './register.dto.js';
import { RegisterService } from './register.service.js';

@FlowController('registerable')
/** For callers not signed in, as Flask-Security's anonymous_user_required: a signed-in caller gets 400 ANONYMOUS_REQUIRED. */
@AnonymousRequired()
export class RegisterController {
  constructor(
    private readonly registration: RegisterService,
    private readonly signIn: FlowSignIn,
  ) {}

  /**
   * `POST /register {email, password, username?, password_confirm?}` → 200
   * `{ message }`; when registration signs in (not confirmable, or
   * loginWithoutConfirmation) also the sign-in answer
   * `{ user, csrf_token?, authentication_token? }`, with the session cookie.
   */
  @Post('register')
  @HttpCode(HttpStatus.OK)
  async register(@Body() dto: RegisterDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    const outcome = await this.registration.register(dto);
    const message = outcome.message;
    if (outcome.signIn && this.signIn.maySignIn(outcome.signIn)) {
      return { message, ...(await this.signIn.signIn(requestContext(request), responseContext(response), outcome.signIn, 'register')) };
    }
    return { message };
  }
}
