import { Inject, Injectable, Optional } from '@nestjs/common';
import { UserCache } from '../../authn/cache/user-cache.js';
import { PasswordHasher } from '../../core/passwords/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

/**
 * Sets a user's password the way every flow must: hash it, store it, and
 * rotate fs_uniquifier, so that every session, reset token, login link and
 * uniquifier-bound auth token of the user dies (Flask-Security's
 * update_password / change_user_password). Auth tokens bound to
 * fs_token_uniquifier die too (it rotates as well), unless the app opted to
 * keep them with `keepAuthTokensOnPasswordChange`, Flask-Security's way.
 */
@Injectable()
export class PasswordUpdater {
  constructor(
    private readonly datastore: UserDatastore,
    private readonly hasher: PasswordHasher,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    @Optional() private readonly userCache?: UserCache,
  ) {}

  async setPassword<U extends SecurityUser>(user: U, password: string): Promise<U> {
    // Hash and uniquifiers in one UPDATE (UserDatastore.setPassword, as the admin CLI does).
    await this.datastore.setPassword(user, await this.hasher.hash(password), {
      keepAuthTokens: this.options.keepAuthTokensOnPasswordChange,
    });
    // Other processes hear of it through the database's NOTIFY; this one at once.
    this.userCache?.invalidate(user.id);
    return user;
  }
}
