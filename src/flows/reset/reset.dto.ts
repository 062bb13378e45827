import { EmailDto, NewPasswordDto } from '../common/flow-dto.js';

/** `POST /reset`: mail reset instructions (Flask-Security's forgot password). */
export class ForgotPasswordDto extends EmailDto {}

/** `POST /reset/:token`: the new password. */
export class ResetPasswordDto extends NewPasswordDto {}
