import { Body, Get, Header, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { AuthRequired, CurrentUser, Public } from '../../authn/decorators/index.js';
import { requestContext, responseContext } from '../../http/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { CsrfOnlyDto } from '../../authn/login/dto/csrf-only.dto.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { TfCodeDto } from './two-factor.dto.js';
import { RecoveryCodes } from './recovery-codes.service.js';

/** Recovery codes (Flask-Security's /mf-recovery-codes, /mf-recovery); 404 unless `twoFactor` and `multiFactorRecoveryCodes` are on. */
@FlowController('twoFactor', 'multiFactorRecoveryCodes')
export class RecoveryCodesController {
  constructor(private readonly codes: RecoveryCodes) {}

  /** `GET /mf-recovery-codes` (signed in, fresh) → `{ recovery_codes_count }`. */
  @AuthRequired({ within: 'configured' })
  @Get('mf-recovery-codes')
  @Header('Cache-Control', 'no-store')
  count(@CurrentUser() user: SecurityUser) {
    return this.codes.count(user);
  }

  /** `POST /mf-recovery-codes` (signed in, fresh) → `{ recovery_codes, recovery_codes_count }`: a new set, shown this once. */
  @AuthRequired({ within: 'configured' })
  @Post('mf-recovery-codes')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  generate(@CurrentUser() user: SecurityUser, @Body() _dto: CsrfOnlyDto) {
    return this.codes.generate(user);
  }

  /** `POST /mf-recovery {code}` (a pending sign-in in this browser) → signed in, the code used up. */
  @Public()
  @Post('mf-recovery')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  recover(@Body() dto: TfCodeDto, @Req() request: object, @Res({ passthrough: true }) response: object) {
    return this.codes.recover(dto.code, requestContext(request), responseContext(response));
  }
}
