import { Injectable } from '@nestjs/common';
import { LoginLimitsService } from '../../authn/limits/login-limits.service.js';
import { UnauthenticatedException } from '../../common/errors/index.js';
import { PasswordHasher } from '../../core/passwords/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { FieldErrorBag } from '../common/field-errors.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { FlowEvent } from '../common/flow-events.js';
import { FlowLinks } from '../common/flow-links.service.js';
import { FieldMessage } from '../common/flow-messages.js';
import { PasswordPolicy } from '../common/password-policy.service.js';
import { PasswordUpdater } from '../common/password-updater.service.js';
import type { ChangePasswordDto } from './change-password.dto.js';

/**
 * Password change by a signed-in user (Flask-Security's changeable): the
 * current password is required and the new one must differ. The change
 * rotates fs_uniquifier, ending every other session and uniquifier-bound
 * token; the controller signs the user in again. Current-password guesses
 * count against the account's login limits (and the address's): a stolen
 * session must not buy unlimited guesses.
 */
@Injectable()
export class ChangePasswordService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly passwords: PasswordUpdater,
    private readonly mail: MailService,
    private readonly links: FlowLinks,
    private readonly events: SecurityEvents,
    private readonly limits: LoginLimitsService,
  ) {}

  async change(current: SecurityUser, dto: ChangePasswordDto, ip: string): Promise<SecurityUser> {
    // A fresh copy: the request's user may be shared (a user cache) and is about to be changed.
    const user = await this.datastore.findUser({ id: current.id });
    if (!user) throw new UnauthenticatedException();

    const errors = new FieldErrorBag();
    if (user.password) {
      if (typeof dto.password !== 'string' || dto.password.trim() === '') errors.add('password', FieldMessage.PASSWORD_NOT_PROVIDED);
      else if (!(await this.currentPasswordMatches(user, dto.password, ip))) errors.add('password', FieldMessage.INVALID_PASSWORD);
      else if (this.hasher.normalize(dto.password) === this.hasher.normalize(dto.new_password)) {
        errors.add('new_password', FieldMessage.PASSWORD_IS_THE_SAME);
      }
    }
    errors.add('new_password_confirm', ...this.policy.confirmProblems(dto.new_password, dto.new_password_confirm));
    errors.throwIfAny();
    errors.add('new_password', ...(await this.policy.problems(dto.new_password)));
    errors.throwIfAny();

    await this.passwords.setPassword(user, dto.new_password);
    void this.mail.sendTemplate('change_notice', user.email, { email: user.email, resetLink: this.links.resetRequestPage() });
    this.events.emit(FlowEvent.PasswordChanged, { userId: user.id, email: user.email });
    return user;
  }

  /** Counted before it is checked (429 TOO_MANY_ATTEMPTS while locked); a match resets the account counter. */
  private async currentPasswordMatches(user: SecurityUser, password: string, ip: string): Promise<boolean> {
    await this.limits.attempt(user, user.email, ip);
    const matches = await this.hasher.verify(password, user.password!);
    if (matches) await this.limits.succeeded(user);
    return matches;
  }
}
