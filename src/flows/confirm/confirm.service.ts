import { Inject, Injectable } from '@nestjs/common';
import { SendLimits } from '../../authn/limits/send-limits.service.js';
import { ValidationFailedException } from '../../common/errors/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { expiredLink, invalidLink } from '../common/flow-errors.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { FlowEvent } from '../common/flow-events.js';
import { FlowLinks } from '../common/flow-links.service.js';
import { FieldMessage, FlowMessage } from '../common/flow-messages.js';
import { failedLink, type LinkOutcome } from '../common/link-outcome.js';
import { standInUser } from '../common/stand-in-user.js';
import type { SendConfirmationDto } from './confirm.dto.js';

/**
 * Email confirmation (Flask-Security's confirmable). As Flask-Security 5.3+:
 * confirming does not sign in (unless `autoLoginAfterConfirm`), and an
 * expired link mails nothing (unless `resendExpiredLinks`).
 */
@Injectable()
export class ConfirmService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly tokens: TokenFactory,
    private readonly tokenStatus: TokenStatusService,
    private readonly mail: MailService,
    private readonly links: FlowLinks,
    private readonly events: SecurityEvents,
    private readonly limits: SendLimits,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /**
   * `POST /confirm`. Generic mode: the same answer (after the same work)
   * whether the address is unknown, already confirmed, or waiting; limited
   * per account and per client address (429 alike for every address).
   */
  async resend(dto: SendConfirmationDto, ip: string): Promise<string> {
    const email = dto.email.trim();
    const user = await this.datastore.findUser({ email });
    await this.limits.attempt('confirm', user, email, ip);
    if (!this.options.returnGenericResponses) {
      if (!user) throw new ValidationFailedException({ email: [FieldMessage.USER_DOES_NOT_EXIST] });
      if (user.confirmedAt) throw new ValidationFailedException({ email: [FieldMessage.ALREADY_CONFIRMED] });
    }
    if (user && !user.confirmedAt) this.sendInstructions(user);
    else this.tokens.confirm(standInUser(email));
    return FlowMessage.CONFIRMATION_REQUEST(email);
  }

  /** Mails a confirm link (not awaited: the answer must not wait on SMTP, nor tell by its time). */
  sendInstructions(user: SecurityUser): void {
    const link = this.links.confirmLink(this.tokens.confirm(user));
    void this.mail.sendTemplate('confirm_instructions', user.email, { email: user.email, link, within: this.options.confirmEmailWithin });
    this.events.emit(FlowEvent.ConfirmInstructionsSent, { userId: user.id, email: user.email });
  }

  /** `GET /confirm/:token`. An expired link mails a fresh one only with `resendExpiredLinks` (Flask-Security before 5.3). */
  async confirm(token: string): Promise<LinkOutcome> {
    const status = await this.tokenStatus.getTokenStatus(token, 'confirm');
    const user = status.user;
    if (status.invalid || !user) return failedLink(invalidLink(FlowMessage.INVALID_CONFIRMATION_TOKEN()), 'confirmError');
    if (user.confirmedAt) {
      const message = FlowMessage.ALREADY_CONFIRMED();
      return { code: 'ALREADY_CONFIRMED', category: 'info', message, user, redirect: 'confirmError', body: { email: user.email } };
    }
    if (status.expired) {
      const resend = this.options.resendExpiredLinks;
      if (resend) this.sendInstructions(user);
      const message = FlowMessage.CONFIRMATION_EXPIRED(this.options.confirmEmailWithin, resend ? user.email : undefined);
      return failedLink(expiredLink(message, resend), 'confirmError', user);
    }

    user.confirmedAt = new Date();
    await this.datastore.saveUser(user);
    this.events.emit(FlowEvent.UserConfirmed, { userId: user.id, email: user.email });
    const signIn = this.options.autoLoginAfterConfirm && user.active ? user : null;
    return {
      code: 'EMAIL_CONFIRMED',
      category: 'success',
      message: FlowMessage.EMAIL_CONFIRMED(),
      user,
      redirect: 'postConfirm',
      body: { email: user.email },
      signIn,
    };
  }
}
