import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_EMAIL_LENGTH, MAX_USERNAME_INPUT_LENGTH, NewPasswordDto } from '../common/flow-dto.js';
import { FieldMessage } from '../common/flow-messages.js';

/** `POST /register`: Flask-Security's JSON field names. */
export class RegisterDto extends NewPasswordDto {
  @IsString({ message: FieldMessage.EMAIL_NOT_PROVIDED })
  @MaxLength(MAX_EMAIL_LENGTH)
  @IsEmail({}, { message: FieldMessage.INVALID_EMAIL_ADDRESS })
  email: string;

  /** Only when `usernameEnable`; required when `usernameRequired`. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_USERNAME_INPUT_LENGTH)
  username?: string;
}
