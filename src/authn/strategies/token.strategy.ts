import { Injectable } from '@nestjs/common';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { type AuthTokenData, parseAuthTokenData } from '../../tokens/auth-token.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';
import { requestContext } from '../../http/index.js';
import type { Authentication } from '../authentication.js';
import { UserCache } from '../cache/user-cache.js';
import { SecurityStrategy } from './security-passport.js';

/** Longer headers are not even parsed: real auth tokens are a few hundred bytes. */
const MAX_TOKEN_LENGTH = 4096;

/** The token from `Authentication-Token`, or from `Authorization: Bearer` (of the platform's request or its RequestContext). */
export function readAuthToken(platformOrContext: object): string | undefined {
  const request = requestContext(platformOrContext);
  const direct = request.header('authentication-token');
  if (direct) return direct.length <= MAX_TOKEN_LENGTH ? direct.trim() : undefined;
  const authorization = request.header('authorization');
  const match = authorization && /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  return match && match[1].length <= MAX_TOKEN_LENGTH ? match[1] : undefined;
}

/**
 * 'token': the auth token of Flask-Security ("remember" serializer, v5
 * `{ver, uid, fs_paa, exp}` or v4 `[uniquifier]`). Signature, `tokenMaxAge`
 * and the token's own `exp` are checked; the user must still have the
 * uniquifier the token names (fs_token_uniquifier, else fs_uniquifier) and
 * be active. The primary-authentication time (`fs_paa`) is the token's
 * freshness.
 *
 * With the user cache on, a verified token's user comes from memory.
 */
@Injectable()
export class TokenStrategy extends SecurityStrategy('token') {
  constructor(
    private readonly tokenStatus: TokenStatusService,
    private readonly userCache: UserCache,
  ) {
    super();
  }

  async validate(platformRequest: object): Promise<Authentication | false> {
    const token = readAuthToken(requestContext(platformRequest));
    if (!token) return false;
    const found = this.userCache.enabled ? await this.fromCache(token) : await this.load(token);
    if (!found || !found.user.active) return false;
    const paa = found.data.fs_paa;
    return { user: found.user, method: 'token', authenticatedAt: paa > 0 ? new Date(paa * 1000) : null };
  }

  /** TokenStatusService: signature, tokenMaxAge, `exp`, and the user still holding the token's uniquifier. */
  private async load(token: string): Promise<{ user: SecurityUser; data: AuthTokenData } | null> {
    const status = await this.tokenStatus.getTokenStatus(token, 'remember');
    const data = status.invalid || status.expired ? null : parseAuthTokenData(status.data);
    return data && status.user ? { user: status.user, data } : null;
  }

  /** Signature and age checked here (no query); the user by the token's uid from memory, else loaded and cached. */
  private async fromCache(token: string): Promise<{ user: SecurityUser; data: AuthTokenData } | null> {
    const checked = this.tokenStatus.check(token, 'remember');
    const data = checked.invalid || checked.expired ? null : parseAuthTokenData(checked.data);
    if (!data || (data.exp > 0 && Date.now() / 1000 >= data.exp)) return null;
    const cached = this.userCache.get(data.uid);
    if (cached) return { user: cached, data };
    const generation = this.userCache.generation;
    const loaded = await this.load(token);
    if (loaded) this.userCache.set(data.uid, loaded.user, generation);
    return loaded;
  }
}
