import { Inject, Injectable, Optional } from '@nestjs/common';
import { UserCache } from '../../authn/cache/user-cache.js';
import { UnauthenticatedException, ValidationFailedException } from '../../common/errors/index.js';
import { DuplicateValueError } from '../../storage/datastore.errors.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { newUniquifier } from '../../storage/uniquifier.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { usedUntil } from '../../tokens/legacy-links.js';
import { OneTimeTokenService } from '../../tokens/one-time-token.service.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { emailInUse, expiredLink, invalidLink } from '../common/flow-errors.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { FlowEvent } from '../common/flow-events.js';
import { FlowLinks } from '../common/flow-links.service.js';
import { FieldMessage, FlowMessage } from '../common/flow-messages.js';
import { failedLink, type LinkOutcome } from '../common/link-outcome.js';
import { standInUser } from '../common/stand-in-user.js';
import type { ChangeEmailDto } from './change-email.dto.js';

/**
 * Email change by a signed-in user: a link to the new address proves it, and
 * only following that link changes anything; the old address is told once it
 * is done. The link names the account by fs_uniquifier and its current email,
 * so it dies if the email changes in between; it fails cleanly (409
 * EMAIL_IN_USE) if someone took the new address in between. The change
 * rotates fs_uniquifier: the reset and login links mailed to the old
 * address die with it (and so do other sessions and uniquifier-bound auth
 * tokens; the controller keeps the browser's own session).
 */
@Injectable()
export class ChangeEmailService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly tokens: TokenFactory,
    private readonly tokenStatus: TokenStatusService,
    private readonly oneTime: OneTimeTokenService,
    private readonly mail: MailService,
    private readonly links: FlowLinks,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    @Optional() private readonly userCache?: UserCache,
  ) {}

  /**
   * `POST /change-email`. With generic responses an address that has an
   * account answers as a free one (and nothing is mailed), so the endpoint
   * does not tell who has an account.
   */
  async request(current: SecurityUser, dto: ChangeEmailDto): Promise<string> {
    const user = await this.datastore.findUser({ id: current.id });
    if (!user) throw new UnauthenticatedException();
    const newEmail = dto.email.trim();
    if (newEmail.toLowerCase() === user.email.toLowerCase())
      throw new ValidationFailedException({ email: [FieldMessage.EMAIL_IS_THE_SAME] });

    const taken = await this.datastore.findUser({ email: newEmail });
    if (taken && !this.options.returnGenericResponses) {
      throw new ValidationFailedException({ email: [FieldMessage.EMAIL_ALREADY_ASSOCIATED(newEmail)] });
    }
    if (taken) {
      this.tokens.changeEmail(standInUser(user.email), newEmail);
    } else {
      const link = this.links.changeEmailLink(this.tokens.changeEmail(user, newEmail));
      void this.mail.sendTemplate('change_email_instructions', newEmail, {
        email: user.email,
        newEmail,
        link,
        within: this.options.changeEmailWithin,
      });
      this.events.emit(FlowEvent.EmailChangeRequested, { userId: user.id, email: user.email, newEmail });
    }
    return FlowMessage.CHANGE_EMAIL_SENT(newEmail);
  }

  /** `GET /change-email/:token`: make the change. */
  async confirm(token: string): Promise<LinkOutcome> {
    const status = await this.tokenStatus.getTokenStatus(token, 'change_email');
    const user = status.user;
    if (status.invalid || !user) return failedLink(invalidLink(FlowMessage.INVALID_CHANGE_EMAIL_TOKEN()), 'changeEmailError');
    if (status.expired) {
      // No fresh link by mail: the change was asked for by a signed-in user, who can ask again.
      return failedLink(expiredLink(FlowMessage.CHANGE_EMAIL_EXPIRED(this.options.changeEmailWithin), false), 'changeEmailError', user);
    }

    // An old app's link (legacyLinks) names the user by id, so nothing we change kills it: it is used up instead.
    if (status.legacy && !(await this.oneTime.consume(token, 'change_email', usedUntil(status.legacy, this.options.changeEmailWithin)))) {
      return failedLink(invalidLink(FlowMessage.INVALID_CHANGE_EMAIL_TOKEN()), 'changeEmailError');
    }
    const newEmail = (status.data as unknown[])[2] as string;
    const previousEmail = user.email;
    const previousUniquifier = user.fsUniquifier;
    const holder = await this.datastore.findUser({ email: newEmail });
    let changed = false;
    if (!holder || holder.id === user.id) {
      user.email = newEmail;
      // Links mailed to the old address (reset, login) are bound to the uniquifier: they must die.
      user.fsUniquifier = newUniquifier();
      // Following the link proved the new address.
      if (this.options.confirmable) user.confirmedAt = new Date();
      try {
        await this.datastore.saveUser(user);
        this.userCache?.invalidate(user.id);
        changed = true;
      } catch (error) {
        if (!(error instanceof DuplicateValueError && error.field === 'email')) throw error;
        user.email = previousEmail;
        user.fsUniquifier = previousUniquifier;
      }
    }
    if (!changed) return failedLink(emailInUse(FlowMessage.EMAIL_IN_USE()), 'changeEmailError', user);

    void this.mail.sendTemplate('change_email_notice', previousEmail, { email: previousEmail, newEmail });
    this.events.emit(FlowEvent.EmailChanged, { userId: user.id, email: newEmail, previousEmail });
    return {
      code: 'CHANGE_EMAIL_CONFIRMED',
      category: 'success',
      message: FlowMessage.CHANGE_EMAIL_CONFIRMED(),
      user,
      redirect: 'postChangeEmail',
      body: { email: newEmail },
    };
  }
}
