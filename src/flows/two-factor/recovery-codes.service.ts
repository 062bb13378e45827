import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SignedInBody } from '../../authn/login/login.service.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { UsedTokenStore } from '../../storage/used-token-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { PendingSignIns } from './pending-sign-in.service.js';
import { RecoveryCodeFormats } from './recovery-code-formats.js';
import { invalidTfCode, notPending } from './two-factor-errors.js';
import { TwoFactorEvent } from './two-factor-events.js';
import { TwoFactorLimits } from './two-factor-limits.service.js';
import { TwoFactorMessage } from './two-factor-messages.js';
import { TwoFactorSignIn } from './two-factor-sign-in.service.js';

/** A used code is remembered this long (it is also removed from the user's list at once). */
const USED_FOR_MS = 366 * 24 * 3600 * 1000;

/**
 * Recovery codes (Flask-Security's MULTI_FACTOR_RECOVERY_CODES): a set of
 * `multiFactorRecoveryCodesN` codes, each shown once when generated and
 * stored as an HMAC, or Fernet-encrypted as Flask-Security does with
 * `multiFactorRecoveryCodesKeys` (RecoveryCodeFormats). Rows written by
 * Flask-Security, plain or encrypted, work. A code signs in once: the
 * UsedTokenStore decides among concurrent uses (exactly one wins); its entry
 * then leaves the user's list, the others stay as they are (as
 * Flask-Security's delete_recovery_code, which re-encrypts none).
 */
@Injectable()
export class RecoveryCodes {
  private readonly formats: RecoveryCodeFormats;

  constructor(
    private readonly datastore: UserDatastore,
    private readonly used: UsedTokenStore,
    private readonly pending: PendingSignIns,
    private readonly limits: TwoFactorLimits,
    private readonly signIn: TwoFactorSignIn,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    this.formats = new RecoveryCodeFormats(options.secretKeys, options.multiFactorRecoveryCodesKeys);
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
      codes.map((code) => this.formats.seal(user.id, code)),
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
    const stored = this.formats.matching(user.id, user.mfRecoveryCodes ?? [], typed);
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

  private usedDigest(user: SecurityUser, stored: string): string {
    return createHash('sha256').update(`mf-recovery\0${user.id}\0${stored}`).digest('hex');
  }
}
