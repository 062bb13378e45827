import { Inject, Injectable } from '@nestjs/common';
import { SendLimits } from '../../authn/limits/send-limits.service.js';
import { ValidationFailedException } from '../../common/errors/index.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { FlowEvent } from '../common/flow-events.js';
import { FieldMessage, FlowMessage } from '../common/flow-messages.js';
import type { UsernameRecoveryDto } from './username-recovery.dto.js';

/** Mails an account's username to its address (Flask-Security's username recovery). */
@Injectable()
export class UsernameRecoveryService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly mail: MailService,
    private readonly events: SecurityEvents,
    private readonly limits: SendLimits,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /**
   * Generic mode: the same answer whether or not the address has an account
   * (with a username); limited per account and per client address.
   */
  async recover(dto: UsernameRecoveryDto, ip: string): Promise<string> {
    const email = dto.email.trim();
    const user = await this.datastore.findUser({ email });
    await this.limits.attempt('username-recovery', user, email, ip);
    if (!user && !this.options.returnGenericResponses) throw new ValidationFailedException({ email: [FieldMessage.USER_DOES_NOT_EXIST] });
    if (user?.username) {
      void this.mail.sendTemplate('username_recovery', user.email, { email: user.email, username: user.username });
      this.events.emit(FlowEvent.UsernameRecoverySent, { userId: user.id, email: user.email });
    }
    return FlowMessage.USERNAME_RECOVERY_REQUEST(email);
  }
}
