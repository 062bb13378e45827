import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FlowBodyDto, MAX_PASSWORD_INPUT_LENGTH, MAX_USERNAME_INPUT_LENGTH } from '../common/flow-dto.js';
import { FieldMessage } from '../common/flow-messages.js';

/** `POST /change-username`: Flask-Security's change username form, and optionally the current password. */
export class ChangeUsernameDto extends FlowBodyDto {
  @IsString({ message: FieldMessage.USERNAME_NOT_PROVIDED })
  @MaxLength(MAX_USERNAME_INPUT_LENGTH)
  username: string;

  /** When given, it must be the account's current password (a front end may ask for it; freshness is required anyway). */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  password?: string;
}
