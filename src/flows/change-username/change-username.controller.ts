import { Body, Get, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { requestContext } from '../../http/index.js';
import { AuthRequired, CurrentUser } from '../../authn/decorators/index.js';
import { userPayload } from '../../authn/login/login.service.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { FlowMessage } from '../common/flow-messages.js';
import { ChangeUsernameDto } from './change-username.dto.js';
import { ChangeUsernameService } from './change-username.service.js';

@FlowController('usernameEnable', 'changeUsername')
export class ChangeUsernameController {
  constructor(private readonly changes: ChangeUsernameService) {}

  /**
   * `GET /change-username`, signed in and fresh as for the change itself
   * (Flask-Security guards both methods alike) → 200 `{ user,
   * current_username }`: what a change-username form shows.
   */
  @Get('change-username')
  @AuthRequired({ within: 'configured' })
  current(@CurrentUser() user: SecurityUser) {
    return { user: userPayload(user), current_username: user.username ?? null };
  }

  /**
   * `POST /change-username {username, password?}`, signed in and fresh →
   * 200 `{ message, username }` (the stored, normalised form); 400 with a
   * `username` field error when it is invalid or taken.
   */
  @Post('change-username')
  @AuthRequired({ within: 'configured' })
  @HttpCode(HttpStatus.OK)
  async change(@CurrentUser() current: SecurityUser, @Body() dto: ChangeUsernameDto, @Req() request: object) {
    const username = await this.changes.change(current, dto, requestContext(request).ip);
    return { message: FlowMessage.USERNAME_CHANGE(), username };
  }
}
