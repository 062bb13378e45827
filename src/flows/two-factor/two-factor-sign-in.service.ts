import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { LoginService, type SignedInBody } from '../../authn/login/login.service.js';
import { SecondFactorGate, type SecondFactorContext, type SecondFactorRequiredBody } from '../../authn/login/second-factor-gate.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { MailService } from '../../mail/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { PendingSignIns, type PendingSignIn } from './pending-sign-in.service.js';
import { TfValidity } from './tf-validity.service.js';
import { TotpKeys } from './totp-keys.service.js';
import { TwoFactorCodes } from './two-factor-codes.service.js';
import { invalidTfCode, notPending, tfMethodNotAvailable } from './two-factor-errors.js';
import { TwoFactorEvent } from './two-factor-events.js';
import { TwoFactorLimits } from './two-factor-limits.service.js';
import { TwoFactorMessage } from './two-factor-messages.js';
import { TwoFactorPolicy, type TfMethod } from './two-factor-policy.service.js';

/** Flask-Security's `recovery_options` of /tf-rescue: what a user without their device can do. */
export interface RescueOptions {
  help: string;
  email?: string;
  recovery_code?: string;
}

/**
 * The second step of sign-in (Flask-Security's tf_enter, tf-validate,
 * tf-rescue, tf-select). After a right password, a user with two-factor
 * (or for whom it is required) is not signed in: POST /login answers
 * `{ tf_required, tf_state, tf_method }` and a pending sign-in is bound to
 * the browser (PendingSignIns). Email and SMS codes are sent then. Only a
 * right code at /tf-validate (or a recovery code at /mf-recovery) signs in,
 * through LoginService.signIn, which rotates the session id.
 */
@Injectable()
export class TwoFactorSignIn implements OnModuleInit {
  private readonly logger = new Logger('TwoFactorSignIn');

  constructor(
    private readonly gate: SecondFactorGate,
    private readonly policy: TwoFactorPolicy,
    private readonly pending: PendingSignIns,
    private readonly keys: TotpKeys,
    private readonly codes: TwoFactorCodes,
    private readonly limits: TwoFactorLimits,
    private readonly validity: TfValidity,
    private readonly login: LoginService,
    private readonly datastore: UserDatastore,
    private readonly mail: MailService,
    private readonly events: SecurityEvents,
  ) {}

  onModuleInit(): void {
    if (this.policy.enabled) {
      this.gate.use(
        (request, response, user, context) => this.enter(request, response, user, context),
        (request, user) => this.needsSecondStep(request, user),
      );
    }
  }

  /** The user has a factor set up or must set one up, and this browser is not remembered (tf_validity). */
  async needsSecondStep(request: RequestContext, user: SecurityUser): Promise<boolean> {
    if (!this.policy.methodOf(user) && !(await this.policy.isRequired(user))) return false;
    return !this.validity.skipsSecondFactor(request, user);
  }

  /** After a right first factor: null to sign in now, or the `tf_required` answer (a pending sign-in started). */
  async enter(
    request: RequestContext,
    response: ResponseContext,
    user: SecurityUser,
    { remember }: SecondFactorContext,
  ): Promise<SecondFactorRequiredBody | null> {
    if (!(await this.needsSecondStep(request, user))) return null;
    const method = this.policy.methodOf(user);
    await this.pending.start(user, response, { remember });
    if (!method) return { tf_required: true, tf_state: 'setup_from_login' };
    if (method !== 'authenticator') await this.codes.send(user, method, user.tfTotpSecret!, user.tfPhoneNumber ?? null);
    return { tf_required: true, tf_state: 'ready', tf_primary_method: method, tf_method: method };
  }

  /** POST /tf-validate {code}: the second factor; signs in (new session id), or 400 INVALID_CODE / TF_NOT_PENDING, 429 when locked. */
  async validate(code: string, request: RequestContext, response: ResponseContext): Promise<SignedInBody> {
    const pending = await this.pending.find(request);
    await this.limits.codeAttempt(pending ? { userId: pending.user.id } : { claimed: this.pending.claimedUserId(request) }, request.ip);
    const method = pending && this.policy.methodOf(pending.user);
    if (!pending || !method) throw notPending();
    const user = pending.user;
    if (!(await this.checkCode(user, method, code))) throw invalidTfCode();
    await this.limits.codeSucceeded(user.id);
    this.events.emit(TwoFactorEvent.CodeConfirmed, { userId: user.id, method });
    return this.finish(pending, request, response, `tf-${method}`);
  }

  /** Signs in the user of a pending sign-in whose second factor was just proven; once only. */
  async finish(pending: PendingSignIn, request: RequestContext, response: ResponseContext, via: string): Promise<SignedInBody> {
    if (!(await this.pending.complete(pending, response))) throw invalidTfCode();
    const body = await this.login.signIn(request, response, pending.user, via, { remember: pending.remember });
    if (pending.remember) this.validity.remember(response, pending.user);
    return body;
  }

  /** The code of the user's own method, accepted once within its validity. */
  async checkCode(user: SecurityUser, method: TfMethod, code: string, secret = user.tfTotpSecret): Promise<boolean> {
    if (!secret) return false;
    try {
      const ok = await this.keys.verify(user, secret, code, this.policy.validity(method));
      if (ok && secret === user.tfTotpSecret) await this.reencryptIfStale(user, method, secret);
      return ok;
    } catch (error) {
      this.logger.error(`the TOTP secret of user ${user.id} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** POST /tf-rescue: 'email' mails a code, 'help' mails the app's support; answers `recovery_options`. */
  async rescue(helpSetup: string, request: RequestContext): Promise<{ recovery_options: RescueOptions; message?: string }> {
    const pending = await this.pending.find(request);
    const method = pending && this.policy.methodOf(pending.user);
    if (!pending || !method) throw notPending();
    const user = pending.user;
    const options = this.rescueOptions(user);
    if (helpSetup === 'email') {
      if (!options.email) throw tfMethodNotAvailable();
      await this.limits.sendAttempt(user.id, request.ip);
      await this.codes.send(user, 'email', user.tfTotpSecret!, null);
      return { recovery_options: options, message: TwoFactorMessage.TWO_FACTOR_RESCUE_SENT() };
    }
    if (helpSetup === 'recovery_code') {
      if (!options.recovery_code) throw tfMethodNotAvailable();
      return { recovery_options: options };
    }
    await this.limits.sendAttempt(user.id, request.ip);
    await this.mail.sendTemplate('two_factor_rescue', this.rescueMail, { email: this.rescueMail, userEmail: user.email });
    return { recovery_options: options, message: TwoFactorMessage.TWO_FACTOR_HELP_SENT() };
  }

  /** POST /tf-select {which}: one method per user here (tf_primary_method), so this confirms it and answers as /login did. */
  async select(which: string, request: RequestContext): Promise<SecondFactorRequiredBody> {
    const pending = await this.pending.find(request);
    const method = pending && this.policy.methodOf(pending.user);
    if (!pending || !method) throw notPending();
    if (which !== method) throw tfMethodNotAvailable();
    return { tf_required: true, tf_state: 'ready', tf_primary_method: method, tf_method: method };
  }

  rescueOptions(user: SecurityUser): RescueOptions {
    const options: RescueOptions = { help: 'help' };
    if (this.policy.rescueEmail) options.email = 'email';
    if (this.policy.recoveryCodes && (user.mfRecoveryCodes?.length ?? 0) > 0) options.recovery_code = 'recovery_code';
    return options;
  }

  private get rescueMail(): string {
    return this.policy.rescueMail;
  }

  /** A key written under an older TOTP secret tag (or a plain one) is stored again under the newest. */
  private async reencryptIfStale(user: SecurityUser, method: TfMethod, secret: string): Promise<void> {
    const state = await this.keys.read(secret);
    if (!state.needsReencrypt) return;
    await this.datastore.tfSet(user, user.tfPrimaryMethod ?? method, await this.keys.reencrypt(state), user.tfPhoneNumber ?? null);
  }
}
