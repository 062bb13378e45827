import { Inject, Injectable } from '@nestjs/common';
import { hashData } from '../core/passwords/index.js';
import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import type { AuthTokenData } from './auth-token.js';
import { SerializerRegistry } from './serializer-registry.js';

/**
 * Mints the tokens of email links and API access with Flask-Security's
 * payloads, so either side can read what the other made.
 */
@Injectable()
export class TokenFactory {
  constructor(
    private readonly serializers: SerializerRegistry,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** `[fs_uniquifier, hash(email)]`: dies when the email changes. */
  confirm(user: SecurityUser): string {
    return this.serializers.get('confirm').dumps([user.fsUniquifier, hashData(user.email)]);
  }

  /** `[fs_uniquifier, hash(password) | null]`: dies when the password changes. */
  reset(user: SecurityUser): string {
    return this.serializers.get('reset').dumps([user.fsUniquifier, user.password ? hashData(user.password) : null]);
  }

  /** `[fs_uniquifier]`: a passwordless login link. */
  login(user: SecurityUser): string {
    return this.serializers.get('login').dumps([user.fsUniquifier]);
  }

  /** `[fs_uniquifier, hash(old_email), new_email]`. */
  changeEmail(user: SecurityUser, newEmail: string): string {
    return this.serializers.get('change_email').dumps([user.fsUniquifier, hashData(user.email), newEmail]);
  }

  /**
   * The auth token: bound to fs_token_uniquifier when set (it then survives
   * password changes), else to fs_uniquifier. `authenticatedAt` is the
   * primary authentication time carried for freshness.
   */
  auth(user: SecurityUser, authenticatedAt: Date = new Date()): string {
    const now = Date.now() / 1000;
    const data: AuthTokenData = {
      ver: '5',
      uid: user.fsTokenUniquifier || user.fsUniquifier,
      fs_paa: authenticatedAt.getTime() / 1000,
      exp: this.options.tokenMaxAge ? Math.floor(now + this.options.tokenMaxAge) : 0,
    };
    return this.serializers.get('remember').dumps(data);
  }
}
