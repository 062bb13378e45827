import { ArrayMaxSize, IsArray, IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { FlowBodyDto, MAX_PASSWORD_INPUT_LENGTH, MAX_USERNAME_INPUT_LENGTH } from '../common/flow-dto.js';

/** Longest method name accepted in a body (the real ones are short). */
const MAX_METHOD_LENGTH = 32;

/** `POST /us-signin/send-code {identity, chosen_method}`: mail a code. */
export class UsSigninSendCodeDto extends FlowBodyDto {
  /** Email, or username when usernames are on. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USERNAME_INPUT_LENGTH)
  identity: string;

  /** 'email' (the only method here that sends codes). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_METHOD_LENGTH)
  chosen_method: string;
}

/** `POST /us-signin {identity, passcode, remember?}`: the emailed code, or the password. */
export class UsSigninDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USERNAME_INPUT_LENGTH)
  identity: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  passcode: string;

  @OptionalField()
  @IsBoolean()
  remember?: boolean;
}

/** `POST /us-verify/send-code {chosen_method}`: mail a code to the signed-in user. */
export class UsVerifySendCodeDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_METHOD_LENGTH)
  chosen_method: string;
}

/** `POST /us-verify {passcode}` and `POST /us-setup/:token {passcode}`. */
export class UsPasscodeDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT_LENGTH)
  passcode: string;
}

/** `POST /us-setup {chosen_method?, delete_method?}`: add one method (verified by a code), remove some. */
export class UsSetupDto extends FlowBodyDto {
  @OptionalField()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_METHOD_LENGTH)
  chosen_method?: string;

  @OptionalField()
  @IsArray()
  @ArrayMaxSize(8)
  @IsString({ each: true })
  @MaxLength(MAX_METHOD_LENGTH, { each: true })
  delete_method?: string[];
}
