import { IsString, MaxLength, MinLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { IsAccountEmail } from './email.js';
import { FieldMessage } from './flow-messages.js';

export { MAX_EMAIL_LENGTH } from './email.js';

/**
 * Length caps of flow DTO fields, before any other check: generous for real
 * input, small enough that no body makes hashing or a query expensive.
 */
export const MAX_USERNAME_INPUT_LENGTH = 255;
/** Raw password input; the policy then applies passwordLengthMax after NFKD. */
export const MAX_PASSWORD_INPUT_LENGTH = 1024;

/**
 * Fields every flow body may carry besides its own: `csrf_token`, which
 * Flask-Security front ends send in the body (SecurityGuard reads it there).
 */
export class FlowBodyDto {
  @OptionalField()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}

/** `{ email }`: the body of confirm resend, reset request and username recovery. */
export class EmailDto extends FlowBodyDto {
  @IsAccountEmail()
  email: string;
}

/** `{ password, password_confirm? }`: a new password, as register and reset take it. */
export class NewPasswordDto extends FlowBodyDto {
  @IsString({ message: FieldMessage.PASSWORD_NOT_PROVIDED })
  @MinLength(1, { message: FieldMessage.PASSWORD_NOT_PROVIDED })
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  password: string;

  /** Required when `requirePasswordConfirm`; must match `password` when given. */
  @OptionalField()
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  password_confirm?: string;
}
