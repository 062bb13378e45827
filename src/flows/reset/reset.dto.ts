import { IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { MAX_REDIRECT_LENGTH } from '../../http/safe-redirect.js';
import { EmailDto, NewPasswordDto } from '../common/flow-dto.js';

/** `POST /reset`: mail reset instructions (Flask-Security's forgot password). */
export class ForgotPasswordDto extends EmailDto {}

/** `POST /reset/:token`: the new password, and where a form post goes next. */
export class ResetPasswordDto extends NewPasswordDto {
  @OptionalField()
  @IsString()
  @MaxLength(MAX_REDIRECT_LENGTH)
  next?: string;
}
