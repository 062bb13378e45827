import { Inject, Injectable } from '@nestjs/common';
import { PasswordAuthenticator } from '../../authn/login/password-authenticator.service.js';
import { SendLimits } from '../../authn/limits/send-limits.service.js';
import { ValidationFailedException } from '../../common/errors/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { usedUntil } from '../../tokens/legacy-links.js';
import { OneTimeTokenService } from '../../tokens/one-time-token.service.js';
import { type TokenStatus, TokenStatusService } from '../../tokens/token-status.service.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { FieldErrorBag } from '../common/field-errors.js';
import { expiredLink, invalidLink } from '../common/flow-errors.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { FlowEvent } from '../common/flow-events.js';
import { FlowLinks } from '../common/flow-links.service.js';
import { FieldMessage, FlowMessage } from '../common/flow-messages.js';
import { failedLink, type LinkOutcome } from '../common/link-outcome.js';
import { PasswordPolicy } from '../common/password-policy.service.js';
import { PasswordUpdater } from '../common/password-updater.service.js';
import { standInUser } from '../common/stand-in-user.js';
import type { ForgotPasswordDto, ResetPasswordDto } from './reset.dto.js';

/**
 * Password reset by email link (Flask-Security's recoverable). A link works
 * once: the first use records it (OneTimeTokenService, so of N concurrent
 * uses exactly one succeeds), and the reset rotates fs_uniquifier, which
 * kills this and every older link, session and uniquifier-bound auth token.
 * As Flask-Security 5.3+: an expired link mails nothing (unless
 * `resendExpiredLinks`), and a deactivated account's link does nothing.
 */
@Injectable()
export class ResetService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly tokens: TokenFactory,
    private readonly tokenStatus: TokenStatusService,
    private readonly oneTime: OneTimeTokenService,
    private readonly policy: PasswordPolicy,
    private readonly passwords: PasswordUpdater,
    private readonly authenticator: PasswordAuthenticator,
    private readonly mail: MailService,
    private readonly links: FlowLinks,
    private readonly events: SecurityEvents,
    private readonly limits: SendLimits,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /**
   * `POST /reset`. Generic mode: the same answer, after the same work,
   * whether the address is unknown, disabled, unconfirmed or fine; limited
   * per account and per client address (429 alike for every address).
   */
  async request(dto: ForgotPasswordDto, ip: string): Promise<string> {
    const email = dto.email.trim();
    const user = await this.datastore.findUser({ email });
    await this.limits.attempt('reset', user, email, ip);
    // Login's rule: an active account that may not sign in is waiting for confirmation.
    const problem = !user
      ? FieldMessage.USER_DOES_NOT_EXIST
      : !user.active
        ? FieldMessage.DISABLED_ACCOUNT
        : !this.authenticator.maySignIn(user)
          ? FieldMessage.CONFIRMATION_REQUIRED
          : undefined;
    if (problem && !this.options.returnGenericResponses) throw new ValidationFailedException({ email: [problem] });
    if (user && !problem) this.sendInstructions(user);
    else this.tokens.reset(standInUser(email, this.options.passwordHash));
    return FlowMessage.PASSWORD_RESET_REQUEST(email);
  }

  /** Mails a reset link (not awaited: the answer must not wait on SMTP, nor tell by its time). */
  sendInstructions(user: SecurityUser): void {
    const link = this.links.resetLink(this.tokens.reset(user));
    void this.mail.sendTemplate('reset_instructions', user.email, { email: user.email, link, within: this.options.resetPasswordWithin });
    this.events.emit(FlowEvent.ResetInstructionsSent, { userId: user.id, email: user.email });
  }

  /** `GET /reset/:token`: is the link good? An expired one mails a fresh link only with `resendExpiredLinks`. */
  async check(token: string): Promise<LinkOutcome> {
    return (await this.inspect(token)).outcome;
  }

  private async inspect(token: string): Promise<{ outcome: LinkOutcome; status: TokenStatus }> {
    const status = await this.status(token);
    return { outcome: this.outcome(token, status), status };
  }

  private outcome(token: string, status: TokenStatus): LinkOutcome {
    const user = status.user;
    // A deactivated account's link must not set its password (nor tell it is deactivated).
    if (status.invalid || !user || !user.active) return failedLink(invalidLink(FlowMessage.INVALID_RESET_PASSWORD_TOKEN()), 'resetError');
    if (status.expired) {
      const resend = this.options.resendExpiredLinks;
      if (resend) this.sendInstructions(user);
      const message = FlowMessage.PASSWORD_RESET_EXPIRED(this.options.resetPasswordWithin, resend ? user.email : undefined);
      return failedLink(expiredLink(message, resend), 'resetError', user);
    }
    return {
      code: 'RESET_TOKEN_VALID',
      category: 'info',
      message: FlowMessage.RESET_TOKEN_VALID(),
      user,
      redirect: 'resetView',
      query: { token },
      body: { email: user.email },
    };
  }

  /** `POST /reset/:token`: set the new password. Resolves the user, to sign in. */
  async reset(token: string, dto: ResetPasswordDto): Promise<SecurityUser> {
    // The same answers as GET for a bad or expired link.
    const { outcome: link, status } = await this.inspect(token);
    if (link.error) throw link.error;
    const user = link.user!;

    // Check the password before using up the link: a typo must not cost the user their link.
    const errors = new FieldErrorBag();
    errors.add('password', ...(await this.policy.problems(dto.password)));
    errors.add('password_confirm', ...this.policy.confirmProblems(dto.password, dto.password_confirm));
    errors.throwIfAny();

    const expiresAt = usedUntil(status.legacy, this.options.resetPasswordWithin);
    if (!(await this.oneTime.consume(token, 'reset', expiresAt))) throw invalidLink(FlowMessage.INVALID_RESET_PASSWORD_TOKEN());

    await this.passwords.setPassword(user, dto.password);
    void this.mail.sendTemplate('reset_notice', user.email, { email: user.email });
    this.events.emit(FlowEvent.PasswordReset, { userId: user.id, email: user.email });
    return user;
  }

  private async status(token: string): Promise<TokenStatus> {
    const status = await this.tokenStatus.getTokenStatus(token, 'reset');
    if (!status.invalid && status.user && (await this.oneTime.isUsed(token, 'reset'))) {
      return { invalid: true, expired: false, user: null, data: null };
    }
    return status;
  }
}
