import { Inject, Injectable, Optional } from '@nestjs/common';
import { UserCache } from '../../authn/cache/user-cache.js';
import { PasswordAuthenticator } from '../../authn/login/password-authenticator.service.js';
import { UnauthenticatedException } from '../../common/errors/index.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { DuplicateValueError } from '../../storage/datastore.errors.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { FieldErrorBag } from '../common/field-errors.js';
import { FlowEvent } from '../common/flow-events.js';
import { FieldMessage } from '../common/flow-messages.js';
import { normalizeUsername, usernameProblems } from '../common/username.js';
import type { ChangeUsernameDto } from './change-username.dto.js';

/**
 * Username change by a signed-in, fresh user (Flask-Security's
 * change_username): the new name is validated and normalised as at
 * registration and must be free. Usernames are public (they are shown and
 * typed at sign-in), so a taken one is said to be taken, as Flask-Security
 * does. Sessions and tokens stay: they are bound to fs_uniquifier, not to
 * the name. The user is told by mail.
 */
@Injectable()
export class ChangeUsernameService {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly passwords: PasswordAuthenticator,
    private readonly mail: MailService,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    @Optional() private readonly userCache?: UserCache,
  ) {}

  /** Resolves the new (normalised) username. */
  async change(current: SecurityUser, dto: ChangeUsernameDto, ip: string): Promise<string> {
    // A fresh copy: the request's user may be shared (a user cache) and is about to be changed.
    const user = await this.datastore.findUser({ id: current.id });
    if (!user) throw new UnauthenticatedException();

    const errors = new FieldErrorBag();
    if (dto.username.trim() === '') errors.add('username', FieldMessage.USERNAME_NOT_PROVIDED);
    else errors.add('username', ...usernameProblems(dto.username));
    errors.throwIfAny();
    // Counted as a password guess (login limits), as /verify is.
    if (dto.password !== undefined && !(await this.passwords.reauthenticate(user, dto.password, ip))) {
      errors.add('password', FieldMessage.INVALID_PASSWORD).throwIfAny();
    }

    const username = normalizeUsername(dto.username);
    const previousUsername = user.username ?? null;
    if (username === previousUsername) errors.add('username', FieldMessage.USERNAME_IS_THE_SAME).throwIfAny();
    const holder = await this.datastore.findUser({ username });
    if (holder && holder.id !== user.id) errors.add('username', FieldMessage.USERNAME_ALREADY_ASSOCIATED(username)).throwIfAny();

    user.username = username;
    try {
      await this.datastore.saveUser(user);
    } catch (error) {
      // Taken in between: the unique index decides.
      if (!(error instanceof DuplicateValueError && error.field === 'username')) throw error;
      errors.add('username', FieldMessage.USERNAME_ALREADY_ASSOCIATED(username)).throwIfAny();
    }
    this.userCache?.invalidate(user.id);

    if (this.options.sendUsernameChangeEmail) {
      void this.mail.sendTemplate('change_username_notice', user.email, { email: user.email, username, previousUsername });
    }
    this.events.emit(FlowEvent.UsernameChanged, { userId: user.id, email: user.email, username, previousUsername });
    return username;
  }
}
