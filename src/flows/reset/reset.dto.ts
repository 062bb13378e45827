import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { FlowBodyDto, EmailDto, MAX_PASSWORD_INPUT_LENGTH } from '../common/flow-dto.js';
import { FieldMessage } from '../common/flow-messages.js';

/** `POST /reset`: mail reset instructions (Flask-Security's forgot password). */
export class ForgotPasswordDto extends EmailDto {}

/** `POST /reset/:token`: the new password. */
export class ResetPasswordDto extends FlowBodyDto {
  @IsString({ message: FieldMessage.PASSWORD_NOT_PROVIDED })
  @MinLength(1, { message: FieldMessage.PASSWORD_NOT_PROVIDED })
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  password: string;

  /** Required when `requirePasswordConfirm`; must match `password` when given. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  password_confirm?: string;
}
