import { IsString, MaxLength, MinLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { FlowBodyDto, MAX_PASSWORD_INPUT_LENGTH } from '../common/flow-dto.js';
import { FieldMessage } from '../common/flow-messages.js';

/** `POST /change`: Flask-Security's change password fields. */
export class ChangePasswordDto extends FlowBodyDto {
  /** The current password (required when the account has one). */
  @OptionalField()
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  password?: string;

  @IsString({ message: FieldMessage.PASSWORD_NOT_PROVIDED })
  @MinLength(1, { message: FieldMessage.PASSWORD_NOT_PROVIDED })
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  new_password: string;

  /** Required when `requirePasswordConfirm`; must match `new_password` when given. */
  @OptionalField()
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  new_password_confirm?: string;
}
