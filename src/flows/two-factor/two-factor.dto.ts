import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { FlowBodyDto } from '../common/flow-dto.js';

/** Longest code accepted in a body (TOTP codes are 6-10 digits, recovery codes 14 characters). */
const MAX_CODE_LENGTH = 32;

/** `POST /tf-setup {setup, phone?}`: 'authenticator', 'email', 'sms' (with `phone`) or 'disable'. */
export class TfSetupDto extends FlowBodyDto {
  @IsString()
  @MaxLength(32)
  @IsIn(['authenticator', 'email', 'sms', 'disable'])
  setup: string;

  @OptionalField()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  phone?: string;
}

/** `POST /tf-validate {code}`, `POST /tf-setup/:token {code}`, `POST /mf-recovery {code}`. */
export class TfCodeDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CODE_LENGTH)
  code: string;
}

/** `POST /tf-rescue {help_setup}`: 'email' (a code to the account's address) or 'help' (a mail to the app's support). */
export class TfRescueDto extends FlowBodyDto {
  @IsString()
  @MaxLength(32)
  @IsIn(['email', 'help', 'recovery_code'])
  help_setup: string;
}

/** `POST /tf-select {which}`: the method to use for this sign-in. */
export class TfSelectDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  which: string;
}
