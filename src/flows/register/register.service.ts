import { Inject, Injectable, Logger } from '@nestjs/common';
import { ValidationFailedException } from '../../common/errors/index.js';
import { PasswordHasher } from '../../core/passwords/index.js';
import { DuplicateValueError } from '../../storage/datastore.errors.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { normalizeEmail } from '../common/email.js';
import { FieldErrorBag } from '../common/field-errors.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { FlowEvent } from '../common/flow-events.js';
import { FlowLinks } from '../common/flow-links.service.js';
import { FieldMessage, FlowMessage } from '../common/flow-messages.js';
import { PasswordPolicy } from '../common/password-policy.service.js';
import { standInUser } from '../common/stand-in-user.js';
import { normalizeUsername, usernameProblems } from '../common/username.js';
import type { RegisterDto } from './register.dto.js';

export interface RegisterOutcome {
  /** The new user, when registration signs them in (not confirmable, or loginWithoutConfirmation). */
  signIn: SecurityUser | null;
  /** The answer when nobody is signed in: the same for a new and, in generic mode, an existing address. */
  message: string;
}

/**
 * Registration (Flask-Security's registerable). With generic responses an
 * address (or username) that already has an account answers exactly as a new
 * one, after the same password hash, and its owner gets a `register_existing`
 * mail instead of a welcome.
 */
@Injectable()
export class RegisterService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly tokens: TokenFactory,
    private readonly mail: MailService,
    private readonly links: FlowLinks,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    if (options.registerable && options.returnGenericResponses && (!options.confirmable || options.loginWithoutConfirmation)) {
      new Logger('RegisterService').warn(
        'registration signs new accounts in at once (confirmable off, or loginWithoutConfirmation on), which an existing ' +
          'address cannot be: its answer differs. Turn confirmable on for registration answers that tell nothing.',
      );
    }
  }

  async register(dto: RegisterDto): Promise<RegisterOutcome> {
    const options = this.options;
    const email = normalizeEmail(dto.email);
    const errors = new FieldErrorBag();

    let username: string | null = null;
    if (typeof dto.username === 'string' && dto.username.trim() !== '') {
      if (!options.usernameEnable) errors.add('username', FieldMessage.USERNAMES_DISABLED);
      else {
        const problems = usernameProblems(dto.username);
        if (problems.length > 0) errors.add('username', ...problems);
        else username = normalizeUsername(dto.username);
      }
    } else if (options.usernameEnable && options.usernameRequired) {
      errors.add('username', FieldMessage.USERNAME_NOT_PROVIDED);
    }

    errors.add('password_confirm', ...this.policy.confirmProblems(dto.password, dto.password_confirm));
    errors.add('password', ...(await this.policy.problems(dto.password)));

    const existingEmail = await this.datastore.findUser({ email });
    const existingUsername = username === null ? null : await this.datastore.findUser({ username });
    if (!options.returnGenericResponses) {
      if (existingEmail) errors.add('email', FieldMessage.EMAIL_ALREADY_ASSOCIATED(email));
      if (existingUsername && username !== null) errors.add('username', FieldMessage.USERNAME_ALREADY_ASSOCIATED(username));
    }
    // Bad passwords and usernames are reported even in generic mode: they say nothing about other accounts.
    errors.throwIfAny();

    const message = options.confirmable ? FlowMessage.CONFIRM_REGISTRATION(email) : FlowMessage.REGISTERED();
    // Same expensive work on every path: the answer's time tells nothing either.
    const passwordHash = await this.hasher.hash(dto.password);

    if (existingEmail || existingUsername) {
      // ... including the confirm token's hashing a new account would get.
      if (options.confirmable) this.tokens.confirm(standInUser(email));
      this.mailExisting(email, username, existingEmail);
      return { signIn: null, message };
    }

    let user: SecurityUser;
    try {
      user = await this.datastore.createUser({ email, username, password: passwordHash });
    } catch (error) {
      if (!(error instanceof DuplicateValueError) || (error.field !== 'email' && error.field !== 'username')) throw error;
      // Registered by a concurrent request in between: that is an existing account now.
      if (!options.returnGenericResponses) {
        const taken =
          error.field === 'email' ? FieldMessage.EMAIL_ALREADY_ASSOCIATED(email) : FieldMessage.USERNAME_ALREADY_ASSOCIATED(username ?? '');
        throw new ValidationFailedException({ [error.field]: [taken] });
      }
      this.mailExisting(email, username, error.field === 'email' ? await this.datastore.findUser({ email }) : null);
      return { signIn: null, message };
    }

    const link = options.confirmable ? this.links.confirmLink(this.tokens.confirm(user)) : undefined;
    void this.mail.sendTemplate('welcome', user.email, {
      email: user.email,
      username: user.username ?? undefined,
      link,
      within: link ? options.confirmEmailWithin : undefined,
    });
    this.events.emit(FlowEvent.UserRegistered, { userId: user.id, email: user.email });

    const signIn = !options.confirmable || options.loginWithoutConfirmation ? user : null;
    return { signIn, message };
  }

  /**
   * Flask-Security's register_existing: the owner of an existing address is
   * told (with their username, and where to reset a forgotten password); a
   * new address with a taken username is told the username is taken.
   */
  private mailExisting(email: string, username: string | null, owner: SecurityUser | null): void {
    if (owner) {
      void this.mail.sendTemplate('register_existing', owner.email, {
        email: owner.email,
        resetLink: this.links.resetRequestPage(),
      });
    } else {
      void this.mail.sendTemplate('register_username_taken', email, { email, username: username ?? '' });
    }
  }
}
