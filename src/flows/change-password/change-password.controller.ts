import { Body, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { requestContext, responseContext } from '../../http/index.js';
import { AuthRequired, CurrentUser } from '../../authn/decorators/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { FlowMessage } from '../common/flow-messages.js';
import { FlowSignIn } from '../common/flow-sign-in.service.js';
import { ChangePasswordDto } from './change-password.dto.js';
import { ChangePasswordService } from './change-password.service.js';

@FlowController('changeable')
export class ChangePasswordController {
  constructor(
    private readonly changes: ChangePasswordService,
    private readonly signIn: FlowSignIn,
  ) {}

  /**
   * `POST /change {password, new_password, new_password_confirm?}`, signed in
   * and fresh → 200 `{ message, user, authentication_token? }`. Every other
   * session and uniquifier-bound token ends; this caller gets a new session.
   */
  @Post('change')
  @AuthRequired({ within: 'configured' })
  @HttpCode(HttpStatus.OK)
  async change(
    @CurrentUser() current: SecurityUser,
    @Body() dto: ChangePasswordDto,
    @Req() request: object,
    @Res({ passthrough: true }) response: object,
  ) {
    const user = await this.changes.change(current, dto, requestContext(request).ip);
    return {
      message: FlowMessage.PASSWORD_CHANGE(),
      ...(await this.signIn.signIn(requestContext(request), responseContext(response), user, 'change')),
    };
  }
}
