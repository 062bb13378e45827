import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Refresh tokens are a few hundred characters; anything far longer is not one. */
export const MAX_REFRESH_TOKEN_LENGTH = 4096;

/** `POST /refresh-token {refresh_token}`. */
export class RefreshTokenDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REFRESH_TOKEN_LENGTH)
  refresh_token: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
