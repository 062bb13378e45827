import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SignedInBody } from '../../authn/login/login.service.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { timingSafeEqualStrings } from '../../core/signing/index.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { UsedTokenStore } from '../../storage/used-token-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { PendingSignIns } from './pending-sign-in.service.js';
import { invalidTfCode, notPending } from './two-factor-errors.js';
import { TwoFactorEvent } from './two-factor-events.js';
import { TwoFactorLimits } from './two-factor-limits.service.js';
import { TwoFactorMessage } from './two-factor-messages.js';
import { TwoFactorSignIn } from './two-factor-sign-in.service.js';

/** How a stored code is marked as hashed here (Flask-Security rows hold the codes themselves). */
const HASHED = 'hmac-sha256$';
/** Flask-Security's shape: 12 hex digits in groups of four. */
const PLAIN_CODE = /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/;
/** A used code is remembered this long (it is also removed from the user's list at once). */
const USED_FOR_MS = 366 * 24 * 3600 * 1000;

/**
 * Recovery codes (Flask-Security's MULTI_FACTOR_RECOVERY_CODES): a set of
 * `multiFactorRecoveryCodesN` codes, each shown once when generated and
 * stored as an HMAC (key derived from the secret key, bound to the user), so
 * a database leak yields none. Rows written by Flask-Security with plain
 * codes still work. A code signs in once: the UsedTokenStore decides among
 * concurrent uses (exactly one wins); the code then leaves the user's list.
 */
@Injectable()
export class RecoveryCodes {
  /** Every secret key's HMAC key, newest first: codes survive a key rotation. */
  private readonly keys: Buffer[];

  constructor(
    private readonly datastore: UserDatastore,
    private readonly used: UsedTokenStore,
    private readonly pending: PendingSignIns,
    private readonly limits: TwoFactorLimits,
    private readonly signIn: TwoFactorSignIn,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    this.keys = [...options.secretKeys].reverse().map((key) => createHmac('sha256', key).update('nest-security:mf-recovery').digest());
  }

  /** GET /mf-recovery-codes: how many unused codes the user has (the codes themselves were shown once). */
  count(user: SecurityUser): { recovery_codes_count: number } {
    return { recovery_codes_count: user.mfRecoveryCodes?.length ?? 0 };
  }

  /** POST /mf-recovery-codes: a new set, replacing the old; the only time the codes are shown. */
  async generate(user: SecurityUser): Promise<{ recovery_codes: string[]; recovery_codes_count: number }> {
    const codes = Array.from({ length: this.options.multiFactorRecoveryCodesN }, () =>
      (randomBytes(6).toString('hex').match(/.{4}/g) as string[]).join('-'),
    );
    await this.datastore.mfSetRecoveryCodes(
      user,
      codes.map((code) => this.hash(this.keys[0]!, user, code)),
    );
    this.events.emit(TwoFactorEvent.RecoveryCodesGenerated, { userId: user.id, count: codes.length });
    return { recovery_codes: codes, recovery_codes_count: codes.length };
  }

  /** POST /mf-recovery {code}: during a pending two-factor sign-in, a recovery code instead of the second factor. */
  async recover(typed: string, request: RequestContext, response: ResponseContext): Promise<SignedInBody> {
    const pending = await this.pending.find(request);
    await this.limits.codeAttempt(pending ? { userId: pending.user.id } : { claimed: this.pending.claimedUserId(request) }, request.ip);
    if (!pending) throw notPending();
    const user = pending.user;
    const stored = this.matching(user, typed);
    if (!stored || !(await this.used.consume(this.usedDigest(user, stored), new Date(Date.now() + USED_FOR_MS)))) {
      throw invalidTfCode(TwoFactorMessage.INVALID_RECOVERY_CODE());
    }
    const fresh = (await this.datastore.findUser({ id: user.id })) ?? user;
    const remaining = (fresh.mfRecoveryCodes ?? []).filter((each) => each !== stored);
    await this.datastore.mfSetRecoveryCodes(fresh, remaining);
    await this.limits.codeSucceeded(user.id);
    this.events.emit(TwoFactorEvent.RecoveryCodeUsed, { userId: user.id, remaining: remaining.length });
    return this.signIn.finish(pending, request, response, 'mf-recovery');
  }

  /** The stored entry the typed code is, compared in constant time against every entry. */
  private matching(user: SecurityUser, typed: string): string | null {
    const code = typed.trim().toLowerCase();
    let found: string | null = null;
    for (const stored of user.mfRecoveryCodes ?? []) {
      const candidates = stored.startsWith(HASHED) ? this.keys.map((key) => this.hash(key, user, code)) : [code];
      for (const candidate of candidates) if (timingSafeEqualStrings(stored, candidate)) found = stored;
    }
    return found && (found.startsWith(HASHED) || PLAIN_CODE.test(found)) ? found : null;
  }

  private hash(key: Buffer, user: SecurityUser, code: string): string {
    return HASHED + createHmac('sha256', key).update(`${user.id}\0${code.toLowerCase()}`).digest('hex');
  }

  private usedDigest(user: SecurityUser, stored: string): string {
    return createHash('sha256').update(`mf-recovery\0${user.id}\0${stored}`).digest('hex');
  }
}
