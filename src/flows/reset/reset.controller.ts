import { Body, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AnonymousRequired } from '../../authn/decorators/index.js';
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
  ) {}

  /** `POST /reset {email}` → 200 `{ message }`, the same for every address in generic mode. */
  @Post('reset')
  @HttpCode(HttpStatus.OK)
  async request(@Body() dto: ForgotPasswordDto) {
    return { message: await this.resets.request(dto) };
  }

  /** `GET /reset/:token`: the link of the reset mail; JSON says whether it is good, a SPA is sent to its reset view. */
  @Get('reset/:token')
  async check(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.responder.respond(request, response, await this.resets.check(token), 'reset');
  }

  /** `POST /reset/:token {password, password_confirm?}` → 200, signed in: `{ message, user, authentication_token? }`. */
  @Post('reset/:token')
  @HttpCode(HttpStatus.OK)
  async reset(
    @Param('token') token: string,
    @Body() dto: ResetPasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const user = await this.resets.reset(token, dto);
    const message = FlowMessage.PASSWORD_RESET();
    // A disabled (or still unconfirmed) account gets its new password, but no session.
    if (!this.signIn.maySignIn(user)) return { message };
    return { message, ...(await this.signIn.signIn(request, response, user, 'reset')) };
  }
}
