import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_REDIRECT_LENGTH } from '../../http/safe-redirect.js';
import { EmailDto, NewPasswordDto } from '../common/flow-dto.js';

/** `POST /reset`: mail reset instructions (Flask-Security's forgot password). */
export class ForgotPasswordDto extends EmailDto {}

/** `POST /reset/:token`: the new password, and where a form post goes next. */
export class ResetPasswordDto extends NewPasswordDto {
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REDIRECT_LENGTH)
  next?: string;
}
