import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { MailService } from '../../mail/index.js';
import { SmsSender } from '../../mail/sms/sms-sender.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { TotpKeys } from './totp-keys.service.js';
import { smsUnavailable } from './two-factor-errors.js';
import { TwoFactorEvent } from './two-factor-events.js';
import { TwoFactorMessage } from './two-factor-messages.js';

/**
 * Sends email and SMS codes. As in Flask-Security they are TOTP codes of the
 * user's own key (accepted for twoFactorMailValidity / twoFactorSmsValidity),
 * so nothing but the key needs storing.
 */
@Injectable()
export class TwoFactorCodes {
  private readonly logger = new Logger('TwoFactorCodes');

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
      await this.sendSms(user, phone, code);
    }
    this.events.emit(TwoFactorEvent.SecurityTokenSent, { userId: user.id, method });
  }

  /**
   * A provider that is down is a 503 SMS_UNAVAILABLE (Flask-Security lets it
   * be a 500), also when its error looks like a database's (ECONNREFUSED):
   * the caller keeps what it started (a pending sign-in can still rescue by
   * email). The log line names the user, never the number or the code.
   */
  private async sendSms(user: SecurityUser, phone: string | null, code: string): Promise<void> {
    try {
      if (!this.sms || !phone) throw new Error('no SmsSender or no phone number');
      await this.sms.send(phone, TwoFactorMessage.USE_CODE(code));
    } catch (error) {
      this.logger.warn(`Could not send an SMS code to user ${user.id}: ${describeFailure(error, [code, phone])}`);
      throw smsUnavailable(error);
    }
  }
}

/**
 * The error's name, code (its own or its cause's: fetch puts ECONNREFUSED
 * there) and first line, with the secrets given blanked out (a provider may
 * echo its input). Read by shape: errors of node's internals or another
 * realm fail `instanceof Error`.
 */
function describeFailure(error: unknown, secrets: ReadonlyArray<string | null>): string {
  const { name, code, message, cause } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const causeCode = typeof cause === 'object' && cause !== null ? (cause as Record<string, unknown>).code : undefined;
  const codes = [code, causeCode].filter((each): each is string => typeof each === 'string');
  let line = [typeof name === 'string' ? name : typeof error, ...codes].join(' ') + `: ${String(message ?? error).split('\n')[0]}`;
  for (const secret of secrets) if (secret) line = line.split(secret).join('***');
  return line.slice(0, 200);
}
