import { IsBoolean, IsDefined, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { FlowBodyDto, MAX_USERNAME_INPUT_LENGTH } from '../common/flow-dto.js';

/** `POST /wan-register {name, usage}`. The name is cleaned by the service (NFKC, allowed characters, 64 at most). */
export class WanRegisterDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  name: string;

  @IsString()
  @IsIn(['first', 'secondary'])
  usage: 'first' | 'secondary';
}

/**
 * `POST /wan-register/:token`, `/wan-signin/:token`, `/wan-verify/:token {credential}`:
 * the browser's PublicKeyCredential as JSON, an object or its JSON text (what Flask-Security's pages send).
 */
export class WanCredentialDto extends FlowBodyDto {
  @IsDefined()
  credential: unknown;

  @OptionalField()
  @IsBoolean()
  remember?: boolean;
}

/** `POST /wan-signin {identity?, remember?}`: without identity, any discoverable passkey may answer. */
export class WanSigninDto extends FlowBodyDto {
  @OptionalField()
  @IsString()
  @MaxLength(MAX_USERNAME_INPUT_LENGTH)
  identity?: string;

  @OptionalField()
  @IsBoolean()
  remember?: boolean;
}

/** `POST /wan-delete {name}`. */
export class WanDeleteDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  name: string;
}
