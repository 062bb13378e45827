import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';

/** Refresh tokens are a few hundred characters; anything far longer is not one. */
export const MAX_REFRESH_TOKEN_LENGTH = 4096;

/** `POST /refresh-token {refresh_token}`; with `refreshTokens.cookieName`, `{}` (the token is the cookie's). */
export class RefreshTokenDto {
  @OptionalField()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REFRESH_TOKEN_LENGTH)
  refresh_token?: string;

  @OptionalField()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
