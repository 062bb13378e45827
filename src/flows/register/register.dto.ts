import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { FlowBodyDto, MAX_EMAIL_LENGTH, MAX_PASSWORD_INPUT_LENGTH, MAX_USERNAME_INPUT_LENGTH } from '../common/flow-dto.js';
import { FieldMessage } from '../common/flow-messages.js';

/** `POST /register`: Flask-Security's JSON field names. */
export class RegisterDto extends FlowBodyDto {
  @IsString({ message: FieldMessage.EMAIL_NOT_PROVIDED })
  @MaxLength(MAX_EMAIL_LENGTH)
  @IsEmail({}, { message: FieldMessage.INVALID_EMAIL_ADDRESS })
  email: string;

  /** Only when `usernameEnable`; required when `usernameRequired`. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_USERNAME_INPUT_LENGTH)
  username?: string;

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
