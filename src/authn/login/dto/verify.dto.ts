import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /verify: re-authenticate with the password. */
export class VerifyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
