import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { serializeCookie } from '../../authn/session/cookies.js';
import { timingSafeEqualStrings } from '../../core/signing/index.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { CodeStore } from '../../storage/code-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

/** The HttpOnly cookie that binds a pending two-factor sign-in to the browser that gave the password. */
export const TF_PENDING_COOKIE = 'nest_security_tf';
/** The CodeStore purpose of pending sign-ins (one per user). */
const PURPOSE = 'tf-signin';
const COOKIE_SHAPE = /^(\d{1,12})\.([01])\.([A-Za-z0-9_-]{43})$/;

/** A password sign-in waiting for its second factor. */
export interface PendingSignIn {
  user: SecurityUser;
  remember: boolean;
  /** What the CodeStore holds for it (for `complete`). */
  codeHash: string;
}

/**
 * The server-side half of a two-factor sign-in in progress (Flask-Security
 * keeps it in its session). The browser gets `<user id>.<remember>.<random>`
 * in an HttpOnly cookie; the CodeStore keeps only an HMAC of it, bound to
 * the user's fs_uniquifier, for `twoFactorSigninWithin`. Only the browser
 * that gave the password can finish, only once (CodeStore.take), and a
 * password change in between ends it. A new sign-in of the same user
 * replaces the pending one.
 */
@Injectable()
export class PendingSignIns {
  private readonly key: Buffer;

  constructor(
    private readonly codes: CodeStore,
    private readonly datastore: UserDatastore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    this.key = createHmac('sha256', options.secretKeys[options.secretKeys.length - 1]!)
      .update('nest-security:tf-pending')
      .digest();
  }

  async start(user: SecurityUser, response: ResponseContext, { remember }: { remember: boolean }): Promise<void> {
    const flag = remember ? '1' : '0';
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.options.twoFactorSigninWithin * 1000);
    await this.codes.put(user.id, PURPOSE, { codeHash: this.hash(user, flag, secret), expiresAt });
    response.setCookie(this.cookie(`${user.id}.${flag}.${secret}`, this.options.twoFactorSigninWithin));
  }

  /** The pending sign-in this browser carries, or null (none, forged, expired, replaced, or its user changed password). */
  async find(request: RequestContext): Promise<PendingSignIn | null> {
    const match = COOKIE_SHAPE.exec(request.cookie(TF_PENDING_COOKIE) ?? '');
    if (!match) return null;
    const [, id, flag, secret] = match;
    const user = await this.datastore.findUser({ id: Number(id) });
    const stored = user ? await this.codes.get(user.id, PURPOSE) : null;
    if (!user || !stored) return null;
    const equal = timingSafeEqualStrings(stored.codeHash, this.hash(user, flag!, secret!));
    if (!equal || stored.expiresAt.getTime() <= Date.now() || !user.active) return null;
    return { user, remember: flag === '1', codeHash: stored.codeHash };
  }

  /** The user id a pending-sign-in cookie names, proven or not (to count guesses against). */
  claimedUserId(request: RequestContext): string {
    return COOKIE_SHAPE.exec(request.cookie(TF_PENDING_COOKIE) ?? '')?.[1] ?? 'none';
  }

  /** Ends it for good: true for the one caller that did (of concurrent completions, one wins). */
  async complete(pending: PendingSignIn, response: ResponseContext): Promise<boolean> {
    const taken = await this.codes.take(pending.user.id, PURPOSE, pending.codeHash);
    this.clear(response);
    return taken;
  }

  clear(response: ResponseContext): void {
    response.setCookie(this.cookie('', 0));
  }

  private cookie(value: string, maxAge: number): string {
    return serializeCookie(TF_PENDING_COOKIE, value, { httpOnly: true, secure: this.options.session.secure, maxAge });
  }

  private hash(user: SecurityUser, flag: string, secret: string): string {
    return createHmac('sha256', this.key).update([user.id, user.fsUniquifier, flag, secret].join('\0')).digest('hex');
  }
}
