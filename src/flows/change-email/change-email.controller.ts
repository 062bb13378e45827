import { Body, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import { AuthRequired, CurrentUser, Public } from '../../authn/decorators/index.js';
import { SessionService } from '../../authn/session/session.service.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { LinkResponder } from '../common/link-responder.service.js';
import { ChangeEmailDto } from './change-email.dto.js';
import { ChangeEmailService } from './change-email.service.js';

@FlowController('changeEmail')
export class ChangeEmailController {
  constructor(
    private readonly changes: ChangeEmailService,
    private readonly responder: LinkResponder,
    private readonly sessions: SessionService,
  ) {}

  /** `POST /change-email {email}`, signed in and fresh → 200 `{ message }`; the link goes to the new address. */
  @Post('change-email')
  @AuthRequired({ within: 'configured' })
  @HttpCode(HttpStatus.OK)
  async request(@CurrentUser() current: SecurityUser, @Body() dto: ChangeEmailDto) {
    return { message: await this.changes.request(current, dto) };
  }

  /**
   * `GET /change-email/:token`: the link of the mail to the new address; works in any browser.
   * The change ends the account's other sessions; the one this browser has (if it is the account's) lives on.
   */
  @LinkRoute('GET', 'change-email')
  @Public()
  async confirm(@LinkToken() token: string, @Req() request: object, @Res() response: object): Promise<void> {
    const outcome = await this.changes.confirm(token);
    if (!outcome.error && outcome.user) await this.sessions.keepCurrent(requestContext(request), responseContext(response), outcome.user);
    await this.responder.respond(requestContext(request), responseContext(response), outcome, 'change_email');
  }
}
