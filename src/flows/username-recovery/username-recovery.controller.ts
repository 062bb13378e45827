import { Body, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { Public } from '../../authn/decorators/index.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { UsernameRecoveryDto } from './username-recovery.dto.js';
import { UsernameRecoveryService } from './username-recovery.service.js';

@FlowController('usernameEnable', 'usernameRecovery')
@Public()
export class UsernameRecoveryController {
  constructor(private readonly recovery: UsernameRecoveryService) {}

  /** `POST /recover-username {email}` → 200 `{ message }`, the same for every address in generic mode. */
  @Post('recover-username')
  @HttpCode(HttpStatus.OK)
  async recover(@Body() dto: UsernameRecoveryDto) {
    return { message: await this.recovery.recover(dto) };
  }
}
