import { Injectable } from '@nestjs/common';
import { UserCache } from '../../authn/cache/user-cache.js';
import { ValidationFailedException } from '../../common/errors/index.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import type { SignedInBody } from '../../authn/login/login.service.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SerializerRegistry } from '../../tokens/serializer-registry.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';
import { expiredLink, invalidLink } from '../common/flow-errors.js';
import type { TfSetupDto } from './two-factor.dto.js';
import type { TfSetupActor } from './tf-setup-actor.service.js';
import { TotpKeys } from './totp-keys.service.js';
import { TwoFactorCodes } from './two-factor-codes.service.js';
import { invalidTfCode, tfMethodNotAvailable, tfRequired } from './two-factor-errors.js';
import { TwoFactorEvent } from './two-factor-events.js';
import { TwoFactorLimits } from './two-factor-limits.service.js';
import { TwoFactorMessage } from './two-factor-messages.js';
import { TwoFactorPolicy, type TfMethod } from './two-factor-policy.service.js';
import { TwoFactorSignIn } from './two-factor-sign-in.service.js';

/** What the tf_setup token carries until the first code proves the new factor: the key stays encrypted in it. */
interface TfSetupState {
  uid: string;
  method: TfMethod;
  phone: string | null;
  /** passlib's TOTP JSON, its key encrypted with totpSecrets: the token is signed, not secret. */
  totp: string;
}

/** `GET /tf-setup`: Flask-Security's JSON names. */
export interface TfSetupInfo {
  tf_required: boolean;
  tf_primary_method: string | null;
  tf_method: string | null;
  tf_phone_number: string | null;
  tf_available_methods: string[];
}

/** `POST /tf-setup/:token`: the factor now stored. */
export interface TfSetupConfirmed {
  message: string;
  tf_method: string;
  tf_primary_method: string;
  tf_phone: string | null;
}

/** `POST /tf-setup`: the answer while the new factor waits for its first code. */
export interface TfSetupStarted {
  tf_state: 'validating_profile';
  tf_primary_method: string;
  tf_method: string;
  tf_state_token: string;
  tf_authr_key?: string;
  tf_authr_b32key?: string;
  tf_authr_username?: string;
  tf_authr_issuer?: string;
  tf_authr_uri?: string;
  tf_authr_qrcode?: string;
}

/**
 * Setting up, changing and disabling the second factor (signed in and
 * fresh; Flask-Security's /tf-setup and /tf-setup/:token). Nothing is
 * stored until the first code is right: POST /tf-setup makes a new key and
 * answers it in a `tf_state_token` (the tf_setup serializer, valid
 * tfSetupWithin, the key encrypted with totpSecrets), and for an
 * authenticator the key, URI and QR code to show; email and SMS get a code
 * sent. POST /tf-setup/:token {code} then stores method, key and phone.
 */
@Injectable()
export class TwoFactorSetup {
  constructor(
    private readonly policy: TwoFactorPolicy,
    private readonly keys: TotpKeys,
    private readonly codes: TwoFactorCodes,
    private readonly limits: TwoFactorLimits,
    private readonly signIn: TwoFactorSignIn,
    private readonly datastore: UserDatastore,
    private readonly serializers: SerializerRegistry,
    private readonly tokenStatus: TokenStatusService,
    private readonly events: SecurityEvents,
    private readonly userCache: UserCache,
  ) {}

  async info(user: SecurityUser): Promise<TfSetupInfo> {
    const method = this.policy.methodOf(user);
    const required = await this.policy.isRequired(user);
    const available: string[] = this.policy.enabledMethods;
    if (!required && method) available.unshift('disable');
    return {
      tf_required: required,
      tf_primary_method: method,
      tf_method: method,
      tf_phone_number: user.tfPhoneNumber ?? null,
      tf_available_methods: available,
    };
  }

  async start(
    actor: TfSetupActor,
    dto: TfSetupDto,
    request: RequestContext,
  ): Promise<TfSetupStarted | { message: string; tf_method: null }> {
    const user = actor.user;
    // Disabling is for a signed-in user; a pending sign-in is here because a factor is required.
    if (dto.setup === 'disable') {
      if (actor.pending) throw tfRequired();
      return this.disable(user);
    }
    const method = dto.setup as TfMethod;
    if (!this.policy.enabledMethods.includes(method)) throw tfMethodNotAvailable();
    const phone = method === 'sms' ? (dto.phone?.trim() ?? '') : null;
    if (method === 'sms' && !/^\+?[0-9 ().-]{6,31}$/.test(phone!))
      throw new ValidationFailedException({ phone: [TwoFactorMessage.TWO_FACTOR_PHONE_REQUIRED()] });

    const totp = await this.keys.newSecret();
    const state: TfSetupState = { uid: user.fsUniquifier, method, phone, totp };
    const started: TfSetupStarted = {
      tf_state: 'validating_profile',
      tf_primary_method: method,
      tf_method: method,
      tf_state_token: this.serializers.get('tf_setup').dumps(state),
    };
    if (method === 'authenticator') {
      const setup = await this.keys.authenticatorSetup(totp, user);
      Object.assign(started, {
        tf_authr_key: setup.key,
        tf_authr_b32key: setup.b32key,
        tf_authr_username: setup.username,
        tf_authr_issuer: setup.issuer,
        tf_authr_uri: setup.uri,
        tf_authr_qrcode: setup.qrcode,
      });
    } else {
      await this.limits.sendAttempt(user.id, request.ip);
      await this.codes.send(user, method, totp, phone);
    }
    return started;
  }

  /** POST /tf-setup/:token {code}: the new factor's first code; then it is stored. */
  async confirm(
    actor: TfSetupActor,
    token: string,
    code: string,
    request: RequestContext,
    response: ResponseContext,
  ): Promise<TfSetupConfirmed | (TfSetupConfirmed & SignedInBody)> {
    const user = actor.user;
    const state = this.stateOf(user, token);
    await this.limits.codeAttempt({ userId: user.id }, request.ip);
    if (!(await this.signIn.checkCode(user, state.method, code, state.totp))) throw invalidTfCode();
    await this.limits.codeSucceeded(user.id);
    await this.datastore.tfSet(user, state.method, state.totp, state.phone);
    this.userCache.invalidate(user.id);
    const confirmed: TfSetupConfirmed = {
      message: TwoFactorMessage.TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL(),
      tf_method: state.method,
      tf_primary_method: state.method,
      tf_phone: state.phone,
    };
    if (!actor.pending) {
      this.events.emit(TwoFactorEvent.ProfileChanged, { userId: user.id, method: state.method });
      return confirmed;
    }
    // The first setup of a sign-in that required it: the sign-in completes (Flask-Security's tf_code_confirmed).
    this.events.emit(TwoFactorEvent.CodeConfirmed, { userId: user.id, method: state.method });
    const signedIn = await this.signIn.finish(actor.pending, request, response, `tf-${state.method}`);
    return { ...confirmed, message: TwoFactorMessage.TWO_FACTOR_LOGIN_SUCCESSFUL(), ...signedIn };
  }

  private async disable(user: SecurityUser): Promise<{ message: string; tf_method: null }> {
    if (await this.policy.isRequired(user)) throw tfRequired();
    if (!this.policy.methodOf(user)) throw tfMethodNotAvailable();
    await this.datastore.tfReset(user);
    this.userCache.invalidate(user.id);
    this.events.emit(TwoFactorEvent.Disabled, { userId: user.id });
    return { message: TwoFactorMessage.TWO_FACTOR_DISABLED(), tf_method: null };
  }

  private stateOf(user: SecurityUser, token: string): TfSetupState {
    const checked = this.tokenStatus.check(token, 'tf_setup');
    const state = checked.data as Partial<TfSetupState> | null;
    const valid =
      !checked.invalid &&
      state !== null &&
      typeof state === 'object' &&
      state.uid === user.fsUniquifier &&
      typeof state.totp === 'string' &&
      (this.policy.enabledMethods as string[]).includes(String(state.method));
    if (!valid) throw invalidLink(TwoFactorMessage.TWO_FACTOR_SETUP_INVALID());
    if (checked.expired) throw expiredLink(TwoFactorMessage.TWO_FACTOR_SETUP_EXPIRED(this.policy.setupWithin), false);
    return state as TfSetupState;
  }
}
