import { IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { IsAccountEmail } from '../common/email.js';
import { MAX_USERNAME_INPUT_LENGTH, NewPasswordDto } from '../common/flow-dto.js';

/** `POST /register`: Flask-Security's JSON field names. */
export class RegisterDto extends NewPasswordDto {
  @IsAccountEmail()
  email: string;

  /** Only when `usernameEnable`; required when `usernameRequired`. */
  @OptionalField()
  @IsString()
  @MaxLength(MAX_USERNAME_INPUT_LENGTH)
  username?: string;
}
