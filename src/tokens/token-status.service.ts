import { Inject, Injectable } from '@nestjs/common';
import { BadData, SignatureExpired } from '../core/signing/index.js';
import { verifyHashDataAsync } from '../core/passwords/index.js';
import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../storage/user-datastore.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { parseAuthTokenData } from './auth-token.js';
import { parseRefreshTokenData } from './refresh-token.js';
import { SerializerRegistry } from './serializer-registry.js';
import type { SerializerName } from './serializer-names.js';
import { VerifiedTokenMemo } from './verified-token-memo.js';

export interface TokenCheck {
  /** Well signed but older than allowed; `data` is still given. */
  expired: boolean;
  /** Anything else wrong; `data` is null. */
  invalid: boolean;
  data: unknown;
}

export interface TokenStatus<U extends SecurityUser = SecurityUser> extends TokenCheck {
  /** The user the token names, when it still names one (also for expired tokens, to offer a resend). */
  user: U | null;
}

/**
 * Flask-Security's check_and_get_token_status, plus the domain checks that
 * make a link die with the state it was issued for: a confirm or change-email
 * token once the email changed, a reset token once the password changed, any
 * token once the uniquifier rotated.
 */
@Injectable()
export class TokenStatusService {
  private readonly defaultWithin: Record<SerializerName, number | undefined>;
  /** Auth tokens are presented on every request; link tokens once. Only the former are worth remembering. */
  private readonly verifiedAuthTokens = new VerifiedTokenMemo(10_000);

  constructor(
    private readonly serializers: SerializerRegistry,
    private readonly datastore: UserDatastore,
    @Inject(SECURITY_OPTIONS) options: ResolvedSecurityOptions,
  ) {
    this.defaultWithin = {
      confirm: options.confirmEmailWithin,
      reset: options.resetPasswordWithin,
      login: options.loginWithin,
      remember: options.tokenMaxAge,
      change_email: options.changeEmailWithin,
      us_setup: options.usSetupWithin,
      tf_setup: options.tfSetupWithin,
      tf_validity: options.tfValidity,
      wan: options.wanWithin,
      // Untimed: a refresh token lives as long as its family (RefreshTokenService).
      refresh: undefined,
    };
  }

  /** Signature and age only. `withinSeconds` defaults to the serializer's configured lifetime. */
  check(token: string, name: SerializerName, withinSeconds = this.defaultWithin[name]): TokenCheck {
    if (name === 'remember') return this.checkAuthToken(String(token ?? ''), withinSeconds);
    try {
      const data =
        name === 'refresh'
          ? this.serializers.get(name).loads(String(token ?? ''))
          : this.serializers.get(name).loads(String(token ?? ''), withinSeconds === undefined ? undefined : { maxAge: withinSeconds });
      return { expired: false, invalid: false, data };
    } catch (error) {
      if (error instanceof SignatureExpired) return { expired: true, invalid: false, data: error.payload };
      if (error instanceof BadData) return { expired: false, invalid: true, data: null };
      throw error;
    }
  }

  /** As check, verifying each distinct auth token once; its age is checked every time, as the signer does. */
  private checkAuthToken(token: string, withinSeconds: number | undefined): TokenCheck {
    let verified = this.verifiedAuthTokens.get(token);
    if (!verified) {
      try {
        const [data, dateSigned] = this.serializers.get('remember').loadsWithTimestamp(token);
        verified = this.verifiedAuthTokens.remember(token, data, dateSigned.getTime() / 1000);
      } catch (error) {
        if (error instanceof BadData) return { expired: false, invalid: true, data: null };
        throw error;
      }
    }
    const age = Math.floor(Date.now() / 1000) - verified.signedAt;
    const expired = withinSeconds !== undefined && (age > withinSeconds || age < 0);
    return { expired, invalid: false, data: verified.data };
  }

  /** `check` plus the user the token names and the domain checks of its purpose. */
  async getTokenStatus<U extends SecurityUser = SecurityUser>(
    token: string,
    name: SerializerName,
    withinSeconds = this.defaultWithin[name],
  ): Promise<TokenStatus<U>> {
    const checked = this.check(token, name, withinSeconds);
    if (checked.invalid) return { ...checked, user: null };
    const user = (await this.findTokenUser(name, checked.data)) as U | null;
    if (!user || !(await this.stillMatches(name, checked.data, user))) {
      return { expired: false, invalid: true, data: null, user: null };
    }
    if (name === 'remember' && !checked.expired) {
      const exp = parseAuthTokenData(checked.data)?.exp ?? 0;
      if (exp > 0 && Date.now() / 1000 >= exp) return { ...checked, expired: true, user };
    }
    return { ...checked, user };
  }

  private async findTokenUser(name: SerializerName, data: unknown): Promise<SecurityUser | null> {
    if (name === 'remember') {
      const auth = parseAuthTokenData(data);
      return auth ? this.datastore.findUserByAuthTokenUid(auth.uid) : null;
    }
    if (name === 'refresh') {
      // The signature and the user only: whether the family is live is RefreshTokenService's to say.
      const refresh = parseRefreshTokenData(data);
      return refresh ? this.datastore.findUserByAuthTokenUid(refresh.uid) : null;
    }
    if (!Array.isArray(data) || typeof data[0] !== 'string' || data[0].length === 0) return null;
    return this.datastore.findUser({ fsUniquifier: data[0] });
  }

  /** Flask-Security's links hash with 535,000 rounds: verified in slices so other requests keep flowing. */
  private async stillMatches(name: SerializerName, data: unknown, user: SecurityUser): Promise<boolean> {
    const fields = data as unknown[];
    switch (name) {
      case 'confirm':
        return typeof fields[1] === 'string' && (await verifyHashDataAsync(fields[1], user.email));
      case 'change_email':
        return typeof fields[1] === 'string' && typeof fields[2] === 'string' && (await verifyHashDataAsync(fields[1], user.email));
      case 'reset':
        if (fields[1] === null || fields[1] === undefined) return !user.password;
        return typeof fields[1] === 'string' && !!user.password && (await verifyHashDataAsync(fields[1], user.password));
      default:
        return true;
    }
  }
}
