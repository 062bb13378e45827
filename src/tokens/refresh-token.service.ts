import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SecurityEvents } from '../common/events/security-events.service.js';
import { BadData } from '../core/signing/index.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { type RefreshTracker, RefreshTokenStore } from '../storage/refresh-token-store.js';
import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../storage/user-datastore.js';
import { parseRefreshTokenData, refreshTokenData, type RefreshTokenData } from './refresh-token.js';
import { SerializerRegistry } from './serializer-registry.js';

/**
 * Events of refresh tokens (Flask-Security's refresh_tracker_created and
 * refresh_tracker_revoked). Payload: {@link RefreshTokenEvent}.
 */
export const RefreshTokenEventName = {
  Created: 'refresh_token.created',
  Revoked: 'refresh_token.revoked',
} as const;

/** Who and which family; never a token. `reason` says why a family was revoked. */
export interface RefreshTokenEvent {
  userId: number;
  family: string;
  reason?: RefreshTokenFailure | 'logout';
}

/**
 * Why a refresh token was refused (Flask-Security's RefreshTokenErrors,
 * plus USER for a token whose user is gone, inactive or rotated its
 * uniquifier).
 */
export type RefreshTokenFailure = 'INVALID' | 'NOT_FOUND' | 'GEN_MISMATCH' | 'EXPIRED' | 'REVOKED' | 'USER';

export type RefreshExchange<U extends SecurityUser = SecurityUser> =
  { ok: true; user: U; tracker: RefreshTracker; refreshToken: string } | { ok: false; failure: RefreshTokenFailure };

/**
 * Refresh tokens as Flask-Security 5.9: each sign-in that hands out an auth
 * token opens a family (a RefreshTokenStore row); each exchange moves the
 * family to its next generation and hands out the token for it, so every
 * refresh token is single-use. A token of an older generation coming back
 * means a copy is in other hands: the whole family is revoked, the newest
 * token included.
 *
 * Tokens name the user by fs_token_uniquifier (else fs_uniquifier), like
 * auth tokens: rotating it (a password change, `tokens/revoke`) kills every
 * family of the user at its next use, in every process at once.
 */
@Injectable()
export class RefreshTokenService {
  private readonly settings: ResolvedSecurityOptions['refreshTokens'];

  constructor(
    private readonly store: RefreshTokenStore,
    private readonly serializers: SerializerRegistry,
    private readonly datastore: UserDatastore,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) options: ResolvedSecurityOptions,
  ) {
    this.settings = options.refreshTokens;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** A new family for the user, and its first token. The user's stale families go first (as Flask-Security). */
  async mint(
    user: SecurityUser,
    { name = 'default', now = new Date() }: { name?: string; now?: Date } = {},
  ): Promise<{ token: string; tracker: RefreshTracker }> {
    const { cleanupExpired, cleanupRevoked, maxAge } = this.settings;
    if (cleanupExpired || cleanupRevoked) {
      await this.store.deleteStaleForUser(user.id, { expiredBefore: cleanupExpired ? now : undefined, revoked: cleanupRevoked });
    }
    const tracker = await this.store.create({
      family: randomUUID().replaceAll('-', ''),
      userId: user.id,
      name: name.slice(0, 64),
      expiresAt: new Date(now.getTime() + maxAge * 1000),
      lastUsedAt: now,
      createdAt: now,
    });
    this.events.emit(RefreshTokenEventName.Created, { userId: user.id, family: tracker.family } satisfies RefreshTokenEvent);
    return { token: this.sign(tracker, user), tracker };
  }

  /**
   * Exchange a token for the next one of its family. Every refusal is told
   * by `failure`; a reused generation, and a token whose user no longer
   * holds it, revoke the family. Of concurrent exchanges of one token one
   * wins; the others count as reuse.
   */
  async exchange<U extends SecurityUser = SecurityUser>(token: string, now = new Date()): Promise<RefreshExchange<U>> {
    const data = this.load(token);
    if (!data) return { ok: false, failure: 'INVALID' };
    const tracker = await this.store.find(data.family);
    if (!tracker) return { ok: false, failure: 'NOT_FOUND' };
    const refuse = async (failure: RefreshTokenFailure, revoke: boolean): Promise<RefreshExchange<U>> => {
      if (revoke) await this.revokeTracker(tracker, failure);
      return { ok: false, failure };
    };
    // Checked first, as Flask-Security: an old generation is an attack whatever else is true.
    if (tracker.gen !== data.gen) return refuse('GEN_MISMATCH', true);
    if (tracker.expiresAt.getTime() <= now.getTime()) return refuse('EXPIRED', false);
    if (now.getTime() - tracker.lastUsedAt.getTime() > this.settings.maxIdle * 1000) return refuse('EXPIRED', false);
    if (tracker.revokedAt) return refuse('REVOKED', false);
    const user = (await this.datastore.findUserByAuthTokenUid(data.uid)) as U | null;
    if (!user || user.id !== tracker.userId || !user.active) return refuse('USER', true);
    const rotated = await this.store.rotate(tracker.family, tracker.gen, now);
    // Another use of this same token rotated first: this one is the replay.
    if (!rotated) return refuse('GEN_MISMATCH', true);
    return { ok: true, user, tracker: rotated, refreshToken: this.sign(rotated, user) };
  }

  /**
   * Revoke the family of a presented token (logout). Needs a well-signed
   * token; its generation does not matter. Resolves the family revoked, if any.
   */
  async revokePresented(token: string): Promise<string | null> {
    const data = this.load(token);
    const tracker = data && (await this.store.find(data.family));
    if (!tracker) return null;
    await this.revokeTracker(tracker, 'logout');
    return tracker.family;
  }

  /** Revoke a family by its id (the one a session was signed in with). */
  async revokeFamily(family: string): Promise<void> {
    const tracker = await this.store.find(family);
    if (tracker) await this.revokeTracker(tracker, 'logout');
  }

  /** Revoke every family of the user (an admin's reset of access). */
  async revokeAllForUser(userId: number): Promise<void> {
    await this.store.revokeAllForUser(userId, new Date());
  }

  private async revokeTracker(tracker: RefreshTracker, reason: RefreshTokenEvent['reason']): Promise<void> {
    if (tracker.revokedAt) return;
    await this.store.revoke(tracker.family, new Date());
    this.events.emit(RefreshTokenEventName.Revoked, { userId: tracker.userId, family: tracker.family, reason } satisfies RefreshTokenEvent);
  }

  private sign(tracker: RefreshTracker, user: SecurityUser): string {
    return this.serializers.get('refresh').dumps(refreshTokenData(tracker, user.fsTokenUniquifier || user.fsUniquifier));
  }

  /** The payload of a well-signed token of the right shape, else null. */
  private load(token: string): RefreshTokenData | null {
    if (typeof token !== 'string' || token.length === 0) return null;
    try {
      return parseRefreshTokenData(this.serializers.get('refresh').loads(token));
    } catch (error) {
      if (error instanceof BadData) return null;
      throw error;
    }
  }
}
