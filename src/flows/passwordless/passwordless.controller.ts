import { Body, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
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
  async request(@Body() dto: LoginLinkDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return { message: await this.passwordless.request(dto, request, response) };
  }

  /**
   * `GET /login/:token`: the link of the mail. Signs in and redirects to
   * `redirects.postLogin`, or answers 200 `{ code: 'LOGIN_SUCCESSFUL', user,
   * csrf_token, authentication_token? }`; errors 400 INVALID_TOKEN,
   * EXPIRED_TOKEN (`resent`), USED_TOKEN, LINK_BROWSER_MISMATCH; a caller
   * already signed in gets 400 ANONYMOUS_REQUIRED (the link stays unused).
   */
  @Get('login/:token')
  @AnonymousRequired()
  async follow(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const followed = await this.passwordless.follow(token, request, response);
    if (followed.error) return this.responder.failed(request, response, followed.error, followed.user);
    await this.responder.signedIn(request, response, followed.user, 'passwordless');
  }
}
