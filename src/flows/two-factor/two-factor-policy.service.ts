import { Inject, Injectable } from '@nestjs/common';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

export type TfMethod = 'authenticator' | 'email' | 'sms';

/**
 * Who has and who needs two-factor (Flask-Security's is_tf_setup and
 * check_tf_required): a user has it when both tf_primary_method and
 * tf_totp_secret are set; it is required by `twoFactorRequired` or the
 * `twoFactorRequiredFor(user)` hook.
 */
@Injectable()
export class TwoFactorPolicy {
  constructor(@Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions) {}

  get enabled(): boolean {
    return this.options.twoFactor;
  }

  get enabledMethods(): TfMethod[] {
    return [...this.options.twoFactorEnabledMethods];
  }

  /** The user's set-up method, or null. A method set up by Flask-Security as 'mail' reads as 'email'. */
  methodOf(user: SecurityUser): TfMethod | null {
    if (!user.tfPrimaryMethod || !user.tfTotpSecret) return null;
    const method =
      user.tfPrimaryMethod === 'mail' || user.tfPrimaryMethod === 'google_authenticator'
        ? legacy(user.tfPrimaryMethod)
        : user.tfPrimaryMethod;
    return method === 'authenticator' || method === 'email' || method === 'sms' ? method : null;
  }

  async isRequired(user: SecurityUser): Promise<boolean> {
    if (this.options.twoFactorRequired) return true;
    return (await this.options.twoFactorRequiredFor?.(user)) === true;
  }

  get rescueEmail(): boolean {
    return this.options.twoFactorRescueEmail;
  }

  get rescueMail(): string {
    return this.options.twoFactorRescueMail;
  }

  get setupWithin(): number {
    return this.options.tfSetupWithin;
  }

  get recoveryCodes(): boolean {
    return this.options.multiFactorRecoveryCodes;
  }

  /** Seconds either side of now a code of this method is accepted. */
  validity(method: TfMethod): number {
    if (method === 'email') return this.options.twoFactorMailValidity;
    if (method === 'sms') return this.options.twoFactorSmsValidity;
    return this.options.twoFactorAuthenticatorValidity;
  }
}

function legacy(method: string): TfMethod {
  return method === 'mail' ? 'email' : 'authenticator';
}
