import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { getAuthentication } from '../../authn/authentication.js';
import { LoginService, userPayload, wantsAuthToken, type SignedInBody } from '../../authn/login/login.service.js';
import { SecondFactorGate, type SecondFactorRequiredBody } from '../../authn/login/second-factor-gate.js';
import { SessionService } from '../../authn/session/session.service.js';
import { UnauthenticatedException } from '../../common/errors/index.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { type WebAuthnCredential, WebAuthnCredentialStore, type WebAuthnUsage } from '../../storage/webauthn-credential-store.js';
import { TokenFactory } from '../../tokens/token.factory.js';
import { FlowSignIn } from '../common/flow-sign-in.service.js';
import { PendingSignIns } from '../two-factor/pending-sign-in.service.js';
import { TwoFactorPolicy } from '../two-factor/two-factor-policy.service.js';
import { TwoFactorSignIn } from '../two-factor/two-factor-sign-in.service.js';
import { cleanCredentialName } from './credential-name.js';
import { counterRefused, credentialInUse, nameInUse, nameNotFound, webauthnFailed } from './webauthn-errors.js';
import { loadWebAuthnLibrary } from './webauthn-library.js';
import { WanStates } from './webauthn-state.service.js';

/** Milliseconds the browser gives the person to touch the authenticator (WAN_REGISTER_TIMEOUT / WAN_SIGNIN_TIMEOUT). */
const CEREMONY_TIMEOUT_MS = 60_000;

/** A passkey as the list shows it: never its key. */
export interface CredentialSummary {
  name: string;
  usage: WebAuthnUsage;
  credential_id: string;
  transports: string[];
  device_type: string;
  backup_state: boolean;
  created_at: string;
  last_used_at: string;
}

/**
 * Passkeys on @simplewebauthn/server (Flask-Security's /wan-* views): the
 * relying party is appUrl (its origin, and its host as RP id); every
 * challenge lives in a signed, expiring `wan_state` that is used once; an
 * assertion moves the stored sign counter forward exactly once, so a
 * replay or a cloned authenticator is refused.
 */
@Injectable()
export class WebAuthnService {
  private readonly origin: string;
  private readonly rpId: string;

  constructor(
    private readonly credentials: WebAuthnCredentialStore,
    private readonly states: WanStates,
    private readonly users: UserDatastore,
    private readonly flowSignIn: FlowSignIn,
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenFactory,
    private readonly pendingSignIns: PendingSignIns,
    private readonly twoFactorPolicy: TwoFactorPolicy,
    private readonly twoFactorSignIn: TwoFactorSignIn,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    @Optional() private readonly secondFactor?: SecondFactorGate,
  ) {
    const url = new URL(options.appUrl);
    this.origin = url.origin;
    this.rpId = url.hostname;
  }

  /** `POST /wan-register`: options for navigator.credentials.create and the state to send back. */
  async registerStart(user: SecurityUser, rawName: string, usage: WebAuthnUsage) {
    const name = cleanCredentialName(rawName);
    const existing = await this.credentials.listForUser(user.id);
    if (existing.some((each) => each.name === name)) throw nameInUse(name);
    const lib = await loadWebAuthnLibrary();
    const handle = await this.credentials.userHandle(user.id, () => randomBytes(32).toString('hex'));
    const userVerification = usage === 'first' ? this.options.wanUserVerification : 'discouraged';
    const { challenge, token } = this.states.issue({
      purpose: 'register',
      uid: user.fsUniquifier,
      name,
      usage,
      user_verification: userVerification === 'required',
    });
    const credentialOptions = await lib.generateRegistrationOptions({
      rpName: this.options.wanRpName,
      rpID: this.rpId,
      userID: Buffer.from(handle, 'utf8'),
      userName: user.username ?? user.email,
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((each) => ({ id: each.credentialId.toString('base64url'), transports: each.transports as never })),
      // A first-factor passkey must be discoverable, so it can sign in without a username.
      authenticatorSelection: { residentKey: usage === 'first' ? 'required' : 'discouraged', userVerification },
      extensions: { credProps: true } as never,
    });
    return { credential_options: credentialOptions, wan_state: token };
  }

  /** `POST /wan-register/:token`: verifies the new credential and stores it. */
  async registerFinish(user: SecurityUser, token: string, credential: unknown) {
    const state = await this.states.take(token, 'register', this.options.wanWithin);
    if (state.uid !== user.fsUniquifier || !state.name || !state.usage) throw webauthnFailed('This passkey request is for another user');
    const response = parseCredential<RegistrationResponseJSON>(credential);
    const lib = await loadWebAuthnLibrary();
    let verification;
    try {
      verification = await lib.verifyRegistrationResponse({
        response,
        expectedChallenge: state.challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification: state.user_verification,
      });
    } catch (error) {
      throw webauthnFailed(`The passkey could not be verified: ${(error as Error).message}`);
    }
    if (!verification.verified || !verification.registrationInfo) throw webauthnFailed();
    const info = verification.registrationInfo;
    const credentialId = Buffer.from(info.credential.id, 'base64url');
    if (await this.credentials.findByCredentialId(credentialId)) throw credentialInUse();
    const extensions = isObject(response.clientExtensionResults) ? JSON.stringify(response.clientExtensionResults) : null;
    const stored = await this.credentials.add({
      userId: user.id,
      credentialId,
      publicKey: Buffer.from(info.credential.publicKey),
      signCount: info.credential.counter,
      transports: response.response.transports ?? [],
      backupState: info.credentialBackedUp,
      deviceType: info.credentialDeviceType,
      extensions: extensions && extensions.length <= 255 ? extensions : null,
      name: state.name,
      usage: state.usage,
    });
    if (!stored) {
      if (await this.credentials.findByCredentialId(credentialId)) throw credentialInUse();
      throw nameInUse(state.name);
    }
    return { name: stored.name, usage: stored.usage };
  }

  /** `POST /wan-signin`: options for navigator.credentials.get. Without a known identity, any discoverable passkey may answer. */
  async signinStart(identity: string | undefined, remember: boolean, request: RequestContext) {
    const pending = await this.pendingFor(request);
    if (pending) return this.secondFactorStart(pending.user);
    const user = identity ? await this.users.findUserByIdentity(identity) : null;
    // Hints only narrow the choice: an unknown or inactive identity answers as no identity (no account discovery).
    const allowed = user?.active ? (await this.credentials.listForUser(user.id)).filter((each) => each.usage === 'first') : [];
    const userVerification = this.options.wanUserVerification;
    const { challenge, token } = this.states.issue({
      purpose: 'signin',
      user_verification: userVerification === 'required',
      remember,
    });
    const credentialOptions = await this.authenticationOptions(challenge, userVerification, allowed);
    return { credential_options: credentialOptions, wan_state: token, user_verification: userVerification === 'required' };
  }

  /** `POST /wan-signin/:token`: the passkey's user is signed in (a new session), as after a password. */
  async signinFinish(
    token: string,
    credential: unknown,
    remember: boolean | undefined,
    request: RequestContext,
    response: ResponseContext,
  ): Promise<SignedInBody | SecondFactorRequiredBody> {
    const state = await this.states.take(token, 'signin', this.options.wanSigninWithin);
    if (state.secondary) return this.secondFactorFinish(state.uid, state.challenge, credential, request, response);
    const { stored, userVerified } = await this.assert(state.challenge, state.user_verification, credential, ['first']);
    const user = await this.users.findUser({ id: stored.userId });
    if (!user || !this.flowSignIn.maySignIn(user)) throw webauthnFailed();
    // A live session being replaced: the request must carry its CSRF token, as at /login.
    await this.login.checkPresentedSessionCsrf(request);
    const rememberMe = remember ?? state.remember ?? false;
    // A passkey that verified its user (PIN, biometrics) is two factors in one; else two-factor applies as after a password.
    if (!userVerified) {
      const secondStep = await this.secondFactor?.check(request, response, user, { remember: rememberMe, via: 'webauthn' });
      if (secondStep) return secondStep;
    }
    return this.login.signIn(request, response, user, 'webauthn', { remember: rememberMe });
  }

  /**
   * A sign-in waiting for its second factor in this browser (two-factor on, the
   * user's method set up): `/wan-signin` then proves that factor instead.
   */
  private async pendingFor(request: RequestContext) {
    if (!this.options.twoFactor) return null;
    const pending = await this.pendingSignIns.find(request);
    return pending && this.twoFactorPolicy.methodOf(pending.user) ? pending : null;
  }

  /** Options allowing the pending user's passkeys, of either usage: any of them is a second factor. */
  private async secondFactorStart(user: SecurityUser) {
    const allowed = await this.credentials.listForUser(user.id);
    const { challenge, token } = this.states.issue({
      purpose: 'signin',
      uid: user.fsUniquifier,
      secondary: true,
      user_verification: false,
    });
    const credentialOptions = await this.authenticationOptions(challenge, 'discouraged', allowed);
    return { credential_options: credentialOptions, wan_state: token, user_verification: false, is_secondary: true };
  }

  /** The second step of a pending sign-in, proven by one of its user's passkeys (never another user's). */
  private async secondFactorFinish(
    uid: string | undefined,
    challenge: string,
    credential: unknown,
    request: RequestContext,
    response: ResponseContext,
  ): Promise<SignedInBody> {
    const pending = await this.pendingFor(request);
    if (!pending || pending.user.fsUniquifier !== uid)
      throw webauthnFailed('No sign-in of this user is waiting for its second factor here');
    await this.assert(challenge, false, credential, ['first', 'secondary'], pending.user.id);
    return this.twoFactorSignIn.finish(pending, request, response, 'tf-webauthn');
  }

  /** `POST /wan-verify`: options listing only the signed-in user's passkeys. */
  async verifyStart(user: SecurityUser) {
    const allowed = await this.credentials.listForUser(user.id);
    const userVerification = this.options.wanUserVerification;
    const { challenge, token } = this.states.issue({
      purpose: 'verify',
      uid: user.fsUniquifier,
      user_verification: userVerification === 'required',
    });
    const credentialOptions = await this.authenticationOptions(challenge, userVerification, allowed);
    return { credential_options: credentialOptions, wan_state: token, user_verification: userVerification === 'required' };
  }

  /**
   * `POST /wan-verify/:token`: re-authentication. The passkey must be one of
   * the signed-in user's own (GHSA-f66q-9rf6-8795: another user's valid
   * passkey must not make this session fresh), and the state made for them.
   */
  async verifyFinish(user: SecurityUser, token: string, credential: unknown, request: RequestContext) {
    const state = await this.states.take(token, 'verify', this.options.wanSigninWithin);
    if (state.uid !== user.fsUniquifier) throw webauthnFailed('This passkey request is for another user');
    await this.assert(state.challenge, state.user_verification, credential, ['first', 'secondary'], user.id);
    const now = new Date();
    const authentication = getAuthentication(request);
    if (!authentication) throw new UnauthenticatedException();
    if (authentication.session) await this.sessions.reauthenticated(authentication.session, now);
    authentication.authenticatedAt = now;
    const body: { user: ReturnType<typeof userPayload>; authentication_token?: string } = { user: userPayload(user) };
    if (wantsAuthToken(request) || authentication.method === 'token') body.authentication_token = this.tokens.auth(user, now);
    return body;
  }

  /** `POST /wan-delete {name}`. */
  async remove(user: SecurityUser, rawName: string): Promise<Record<string, never>> {
    const name = rawName.normalize('NFKC').trim();
    if (!(await this.credentials.remove(user.id, name))) throw nameNotFound(name);
    return {};
  }

  /** `GET /wan-credentials`. */
  async list(user: SecurityUser): Promise<{ credentials: CredentialSummary[] }> {
    const credentials = await this.credentials.listForUser(user.id);
    return { credentials: credentials.map(summaryOf) };
  }

  /**
   * Verifies an assertion against the stored credential it names: of the
   * allowed usages, of `userId` when given; then moves its counter forward,
   * once (a concurrent or replayed use of the same assertion loses).
   */
  /** The options of an assertion ceremony for `challenge`, allowing the `allowed` passkeys. */
  private async authenticationOptions(
    challenge: string,
    userVerification: 'required' | 'preferred' | 'discouraged',
    allowed: WebAuthnCredential[],
  ): Promise<unknown> {
    const lib = await loadWebAuthnLibrary();
    return lib.generateAuthenticationOptions({
      rpID: this.rpId,
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification,
      allowCredentials: allowed.map((each) => ({ id: each.credentialId.toString('base64url'), transports: each.transports as never })),
    });
  }

  private async assert(
    challenge: string,
    requireUserVerification: boolean,
    credential: unknown,
    usages: WebAuthnUsage[],
    userId?: number,
  ): Promise<{ stored: WebAuthnCredential; userVerified: boolean }> {
    const response = parseCredential<AuthenticationResponseJSON>(credential);
    if (typeof response.rawId !== 'string' && typeof response.id !== 'string') throw webauthnFailed();
    const stored = await this.credentials.findByCredentialId(Buffer.from(String(response.rawId ?? response.id), 'base64url'));
    if (!stored || !usages.includes(stored.usage) || (userId !== undefined && stored.userId !== userId)) throw webauthnFailed();
    const lib = await loadWebAuthnLibrary();
    let verification;
    try {
      verification = await lib.verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification,
        credential: {
          id: stored.credentialId.toString('base64url'),
          publicKey: new Uint8Array(stored.publicKey),
          counter: stored.signCount,
          transports: stored.transports as never,
        },
      });
    } catch (error) {
      if (/counter/i.test((error as Error).message)) throw counterRefused();
      throw webauthnFailed(`The passkey could not be verified: ${(error as Error).message}`);
    }
    if (!verification.verified) throw webauthnFailed();
    const { newCounter, userVerified } = verification.authenticationInfo;
    if (!(await this.credentials.recordUse(stored.id, stored.signCount, newCounter, new Date()))) throw counterRefused();
    return { stored, userVerified };
  }
}

function parseCredential<T>(credential: unknown): T {
  let value = credential;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw webauthnFailed('credential is not JSON');
    }
  }
  if (!isObject(value) || !isObject(value.response)) throw webauthnFailed('credential is not a PublicKeyCredential');
  return value as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function summaryOf(credential: WebAuthnCredential): CredentialSummary {
  return {
    name: credential.name,
    usage: credential.usage,
    credential_id: credential.credentialId.toString('base64url'),
    transports: credential.transports,
    device_type: credential.deviceType,
    backup_state: credential.backupState,
    created_at: credential.createdAt.toISOString(),
    last_used_at: credential.lastUsedAt.toISOString(),
  };
}
