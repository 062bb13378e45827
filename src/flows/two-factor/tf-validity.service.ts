import { Inject, Injectable } from '@nestjs/common';
import { serializeCookie } from '../../authn/session/cookies.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { SerializerRegistry } from '../../tokens/serializer-registry.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';

/** Flask-Security's TWO_FACTOR_VALIDITY_COOKIE_NAME. */
export const TF_VALIDITY_COOKIE = 'tf_validity';

/**
 * "Remember this device" (Flask-Security's tf_validity token): after a
 * second factor given with `remember`, and unless `twoFactorAlwaysValidate`,
 * the browser gets a `tf_validity` token (the tf_validity serializer over
 * the user's fs_uniquifier) valid `twoFactorLoginValidity`; while it lasts
 * that browser signs that user in with the password alone. A password
 * change rotates fs_uniquifier and the cookie dies with it.
 */
@Injectable()
export class TfValidity {
  constructor(
    private readonly serializers: SerializerRegistry,
    private readonly tokenStatus: TokenStatusService,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** The browser has a live tf_validity token of this user (never with twoFactorAlwaysValidate). */
  skipsSecondFactor(request: RequestContext, user: SecurityUser): boolean {
    if (this.options.twoFactorAlwaysValidate) return false;
    const token = request.cookie(TF_VALIDITY_COOKIE);
    if (!token || token.length > 512) return false;
    const checked = this.tokenStatus.check(token, 'tf_validity');
    return !checked.invalid && !checked.expired && checked.data === user.fsUniquifier;
  }

  /** Sets the cookie after a second factor given with `remember` (nothing with twoFactorAlwaysValidate). */
  remember(response: ResponseContext, user: SecurityUser): void {
    if (this.options.twoFactorAlwaysValidate) return;
    const token = this.serializers.get('tf_validity').dumps(user.fsUniquifier);
    response.setCookie(
      serializeCookie(TF_VALIDITY_COOKIE, token, { httpOnly: true, secure: this.options.session.secure, maxAge: this.options.tfValidity }),
    );
  }
}
