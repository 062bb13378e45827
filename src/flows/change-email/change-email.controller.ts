import { Body, Get, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SecurityRequestState } from '../../authn/authentication.js';
import { AuthRequired, CurrentUser, Public } from '../../authn/decorators/index.js';
import type { SecurityUser } from '../../datastore/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { assertFresh } from '../common/freshness.js';
import { LinkResponder } from '../common/link-responder.service.js';
import { ChangeEmailDto } from './change-email.dto.js';
import { ChangeEmailService } from './change-email.service.js';

@FlowController('changeEmail')
export class ChangeEmailController {
  constructor(
    private readonly changes: ChangeEmailService,
    private readonly responder: LinkResponder,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** `POST /change-email {email}`, signed in and fresh → 200 `{ message }`; the link goes to the new address. */
  @Post('change-email')
  @AuthRequired()
  @HttpCode(HttpStatus.OK)
  async request(@CurrentUser() current: SecurityUser, @Body() dto: ChangeEmailDto, @Req() request: Request) {
    assertFresh(request as unknown as SecurityRequestState, this.options);
    return { message: await this.changes.request(current, dto) };
  }

  /** `GET /change-email/:token`: the link of the mail to the new address; works in any browser. */
  @Get('change-email/:token')
  @Public()
  async confirm(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.responder.respond(request, response, await this.changes.confirm(token), 'change_email');
  }
}
