import { MAX_REDIRECT_LENGTH } from '../../../http/safe-redirect.js';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/** POST /login. `email` or (when usernames are on) `username`, as Flask-Security's JSON login. */
export class LoginDto {
  @ValidateIf((dto: LoginDto) => dto.username === undefined || dto.email !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  email?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  username?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;

  @IsOptional()
  @IsBoolean()
  remember?: boolean;

  /** Where a form post is redirected once signed in, when safe (else `?next=`, else the default). */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REDIRECT_LENGTH)
  next?: string;

  /** The CSRF token may come in the body instead of the X-XSRF-Token header. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
