import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Bodies of POST /logout and /tokens/revoke: nothing, or the CSRF token. */
export class CsrfOnlyDto {
  @IsOptional()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
