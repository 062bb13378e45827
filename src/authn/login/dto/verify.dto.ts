import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../../common/validation/optional-field.decorator.js';

/** POST /verify: re-authenticate with the password. */
export class VerifyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;

  @OptionalField()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
