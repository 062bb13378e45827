import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { PasswordAuthenticator } from '../../authn/login/password-authenticator.service.js';
import { type SecurityException, ValidationFailedException } from '../../common/errors/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { OneTimeTokenService } from '../../tokens/one-time-token.service.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { FlowLinks } from '../common/flow-links.service.js';
import { FieldMessage } from '../common/flow-messages.js';
import { standInUser } from '../common/stand-in-user.js';
import { LoginLinkBinding } from './login-link-binding.service.js';
import type { LoginLinkDto } from './passwordless.dto.js';
import { expiredLink, invalidLink } from '../common/flow-errors.js';
import { linkBrowserMismatch, usedLoginLink } from './sign-in-errors.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { SignInEvent } from './sign-in-events.js';
import { SignInLimits } from './sign-in-limits.service.js';
import { SignInMessage } from './sign-in-messages.js';

/** What following a link came to: a user to sign in, or the error to answer with. */
export type FollowedLink = { user: SecurityUser; error?: undefined } | { user: SecurityUser | null; error: SecurityException };

/**
 * Passwordless sign-in by email link (Flask-Security's PASSWORDLESS). The
 * link's token is the `login` serializer's `[fs_uniquifier]`, as
 * Flask-Security makes it, so links either side mailed work on the other.
 * Beyond Flask-Security a link is single-use (OneTimeTokenService: of N
 * concurrent clicks exactly one signs in), dies with a uniquifier rotation
 * (password change, reset-access) since the user is found by it, and can
 * be bound to the asking browser (`passwordlessBindToBrowser`).
 */
@Injectable()
export class PasswordlessService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly tokens: TokenFactory,
    private readonly tokenStatus: TokenStatusService,
    private readonly oneTime: OneTimeTokenService,
    private readonly passwords: PasswordAuthenticator,
    private readonly mail: MailService,
    private readonly links: FlowLinks,
    private readonly binding: LoginLinkBinding,
    private readonly limits: SignInLimits,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /**
   * `POST /login-link`. Generic mode (the default): the same answer, after
   * the same work, for unknown, disabled and good accounts; the mail goes
   * out after the answer. Otherwise unknown or disabled accounts get a 400.
   */
  async request(dto: LoginLinkDto, request: RequestContext, response: ResponseContext): Promise<string> {
    const email = dto.email.trim();
    const user = await this.datastore.findUser({ email });
    await this.limits.sendAttempt('login-link', user, email, request.ip);
    const problem = !user ? FieldMessage.USER_DOES_NOT_EXIST : !this.passwords.maySignIn(user) ? FieldMessage.DISABLED_ACCOUNT : undefined;
    if (problem && !this.options.returnGenericResponses) throw new ValidationFailedException({ email: [problem] });

    const token = this.tokens.login(user && !problem ? user : standInUser(email));
    if (this.binding.enabled) this.binding.bind(request, response, token);
    if (user && !problem) this.send(user, token);
    return SignInMessage.LOGIN_EMAIL_SENT(email);
  }

  /**
   * `GET /login/:token`: the user to sign in, or why not. An expired link
   * mails a fresh one (a few times an hour at most; with browser binding
   * only when opened in the browser it was bound to, which gets the new
   * link's binding too).
   */
  async follow(token: string, request: RequestContext, response: ResponseContext): Promise<FollowedLink> {
    const status = await this.tokenStatus.getTokenStatus(token, 'login');
    const user = status.user;
    if (status.invalid || !user || !this.passwords.maySignIn(user))
      return { user: null, error: invalidLink(SignInMessage.INVALID_LOGIN_TOKEN()) };

    const bound = !this.binding.enabled || this.binding.matches(request, token);
    if (status.expired) {
      const resent = bound && (await this.limits.mayResend(user));
      if (resent) {
        const fresh = this.tokens.login(user);
        if (this.binding.enabled) this.binding.bind(request, response, fresh);
        this.send(user, fresh);
      }
      return { user, error: expiredLink(SignInMessage.LOGIN_EXPIRED(this.options.loginWithin, resent), resent) };
    }
    // Refused before it is used up: the user can still open it in the right browser.
    if (!bound) return { user: null, error: linkBrowserMismatch(SignInMessage.LINK_BROWSER_MISMATCH()) };

    const expiresAt = new Date(Date.now() + this.options.loginWithin * 1000);
    if (!(await this.oneTime.consume(token, 'login', expiresAt)))
      return { user: null, error: usedLoginLink(SignInMessage.USED_LOGIN_TOKEN()) };
    if (this.binding.enabled) this.binding.release(request, response, token);
    return { user };
  }

  /** Mails a login link (not awaited: the answer must not wait on SMTP, nor tell by its time). */
  private send(user: SecurityUser, token: string): void {
    const link = this.links.api('/login/', token);
    void this.mail.sendTemplate('login_instructions', user.email, { email: user.email, link, within: this.options.loginWithin });
    this.events.emit(SignInEvent.LoginInstructionsSent, { userId: user.id, email: user.email });
  }
}
