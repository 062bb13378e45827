import { IsBoolean, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator.js';
import { FlowBodyDto, MAX_USERNAME_INPUT_LENGTH } from '../common/flow-dto.js';

/** Longest credential JSON accepted (with attestation 'none' they are a few KB). */
export const MAX_CREDENTIAL_JSON_LENGTH = 16_384;

/** `POST /wan-register {name, usage}`. The name is cleaned by the service (NFKC, allowed characters, 64 at most). */
export class WanRegisterDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  name: string;

  @IsString()
  @MaxLength(16)
  @IsIn(['first', 'secondary'])
  usage: 'first' | 'secondary';
}

/**
 * `POST /wan-register/:token`, `/wan-signin/:token`, `/wan-verify/:token {credential}`:
 * the browser's PublicKeyCredential as JSON text (`JSON.stringify(credential)`), as Flask-Security's pages send it.
 */
export class WanCredentialDto extends FlowBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_CREDENTIAL_JSON_LENGTH)
  credential: string;

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
