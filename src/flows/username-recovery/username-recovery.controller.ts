import { Body, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { requestContext } from '../../http/index.js';
import { Public } from '../../authn/decorators/index.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { UsernameRecoveryDto } from './username-recovery.dto.js';
import { UsernameRecoveryService } from './username-recovery.service.js';

@FlowController('usernameEnable', 'usernameRecovery')
@Public()
export class UsernameRecoveryController {
  constructor(private readonly recovery: UsernameRecoveryService) {}

  /** `POST /recover-username {email}` → 200 `{ message }`, the same for every address in generic mode; 429 past the limits. */
  @Post('recover-username')
  @HttpCode(HttpStatus.OK)
  async recover(@Body() dto: UsernameRecoveryDto, @Req() request: object) {
    return { message: await this.recovery.recover(dto, requestContext(request).ip) };
  }
}
