import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_REFRESH_TOKEN_LENGTH } from '../../refresh/refresh-token.dto.js';
import { CsrfOnlyDto } from './csrf-only.dto.js';

/** POST /logout: nothing, the CSRF token, and the refresh token to revoke (as Flask-Security 5.9's logout form). */
export class LogoutDto extends CsrfOnlyDto {
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REFRESH_TOKEN_LENGTH)
  refresh_token?: string;
}
