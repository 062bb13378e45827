import { Inject, Injectable, Optional } from '@nestjs/common';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { MailService } from '../../mail/index.js';
import { SmsSender } from '../../mail/sms/sms-sender.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { TotpKeys } from './totp-keys.service.js';
import { TwoFactorEvent } from './two-factor-events.js';
import { TwoFactorMessage } from './two-factor-messages.js';

/**
 * Sends email and SMS codes. As in Flask-Security they are TOTP codes of the
 * user's own key (accepted for twoFactorMailValidity / twoFactorSmsValidity),
 * so nothing but the key needs storing.
 */
@Injectable()
export class TwoFactorCodes {
  constructor(
    private readonly keys: TotpKeys,
    private readonly mail: MailService,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    @Optional() @Inject(SmsSender) private readonly sms?: SmsSender | null,
  ) {}

  async send(user: SecurityUser, method: 'email' | 'sms', totpSecret: string, phone: string | null): Promise<void> {
    const validity = method === 'email' ? this.options.twoFactorMailValidity : this.options.twoFactorSmsValidity;
    const code = await this.keys.codeToSend(user, totpSecret, validity);
    if (method === 'email') {
      void this.mail.sendTemplate('two_factor_instructions', user.email, {
        email: user.email,
        code,
        within: this.options.twoFactorMailValidity,
      });
    } else {
      if (!this.sms || !phone) throw new Error('no SmsSender or phone number for an SMS code');
      await this.sms.send(phone, TwoFactorMessage.USE_CODE(code));
    }
    this.events.emit(TwoFactorEvent.SecurityTokenSent, { userId: user.id, method });
  }
}
