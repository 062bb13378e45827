import { IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../../common/validation/optional-field.decorator.js';

/** Bodies of POST /logout and /tokens/revoke: nothing, or the CSRF token. */
export class CsrfOnlyDto {
  @OptionalField()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}
