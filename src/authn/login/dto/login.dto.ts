import { IsBoolean, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { OptionalField } from '../../../common/validation/optional-field.decorator.js';
import { IsAccountEmail } from '../../../flows/common/email.js';
import { MAX_REDIRECT_LENGTH } from '../../../http/safe-redirect.js';

/** POST /login. `email` or (when usernames are on) `username`, as Flask-Security's JSON login. */
export class LoginDto {
  /** Checked and normalised as every account address is (Flask-Security's EmailValidation on its login form). */
  @ValidateIf((dto: LoginDto) => dto.username === undefined || dto.email !== undefined)
  @IsAccountEmail()
  email?: string;

  @OptionalField()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  username?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;

  @OptionalField()
  @IsBoolean()
  remember?: boolean;

  /** Where a form post is redirected once signed in, when safe (else `?next=`, else the default). */
  @OptionalField()
  @IsString()
  @MaxLength(MAX_REDIRECT_LENGTH)
  next?: string;

  /** The CSRF token may come in the body instead of the X-XSRF-Token header. */
  @OptionalField()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
