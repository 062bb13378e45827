import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { getAuthentication } from '../../authn/authentication.js';
import { UserCache } from '../../authn/cache/user-cache.js';
import { InvalidCredentialsException } from '../../authn/login/invalid-credentials.exception.js';
import { LoginService, type SignedInBody, userPayload, type UserPayload } from '../../authn/login/login.service.js';
import { PasswordAuthenticator } from '../../authn/login/password-authenticator.service.js';
import { SecondFactorGate, type SecondFactorRequiredBody } from '../../authn/login/second-factor-gate.js';
import { SessionService } from '../../authn/session/session.service.js';
import { SecurityException, ValidationFailedException } from '../../common/errors/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { MailService } from '../../mail/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { SerializerRegistry } from '../../tokens/serializer-registry.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';
import { MAX_EMAIL_LENGTH } from '../common/flow-dto.js';
import { FlowLinks } from '../common/flow-links.service.js';
import type { FollowedLink } from '../passwordless/passwordless.service.js';
import { expiredLink, invalidLink } from '../common/flow-errors.js';
import { expiredCode, invalidCode, methodNotAvailable } from '../passwordless/sign-in-errors.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import { SignInEvent, type UsCodePurpose } from '../passwordless/sign-in-events.js';
import { SignInLimits } from '../passwordless/sign-in-limits.service.js';
import { SignInMessage } from '../passwordless/sign-in-messages.js';
import { looksLikeCode, UsCodeService } from './us-code.service.js';
import type { UsPasscodeDto, UsSetupDto, UsSigninDto, UsSigninSendCodeDto, UsVerifySendCodeDto } from './unified-signin.dto.js';

/** Methods a user sets up (all but password, which is set by the password flows). Only 'email' here. */
const SETUP_METHODS = ['email'] as const;
type SetupMethod = (typeof SETUP_METHODS)[number];

/** What the us_setup token carries: who, which method, and the nonce the setup code is bound to. */
interface UsSetupState {
  uid: string;
  chosen_method: SetupMethod;
  nonce: string;
}

/** `GET /us-setup` and the answers of setup: Flask-Security's JSON names. */
export interface UsSetupInfo {
  available_methods: string[];
  setup_methods: string[];
  active_methods: string[];
  code_methods: string[];
}

/**
 * Unified sign-in (Flask-Security's US_*): one identity field, one passcode
 * field that takes an emailed code or the password, re-authentication the
 * same way, and a setup that chooses which methods a user may use.
 *
 * Which methods a user has: 'password' when enabled and the user has one;
 * 'email' when enabled and in `user.usMethods`, or when `usMethods` is null
 * (never set up): Flask-Security sets email up at registration, and a
 * mailbox already lets its owner in through reset and login links.
 */
@Injectable()
export class UnifiedSigninService {
  private readonly logger = new Logger('UnifiedSigninService');

  constructor(
    private readonly datastore: UserDatastore,
    private readonly passwords: PasswordAuthenticator,
    private readonly codes: UsCodeService,
    private readonly limits: SignInLimits,
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly tokenStatus: TokenStatusService,
    private readonly serializers: SerializerRegistry,
    private readonly mail: MailService,
    private readonly links: FlowLinks,
    private readonly events: SecurityEvents,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    @Optional() private readonly userCache?: UserCache,
    @Optional() private readonly secondFactor?: SecondFactorGate,
  ) {}

  /** Enabled methods that mail a code. */
  get codeMethods(): string[] {
    return this.options.usEnabledMethods.filter((method) => method === 'email');
  }

  /** Enabled methods a user can set up. */
  get setupMethods(): SetupMethod[] {
    return SETUP_METHODS.filter((method) => (this.options.usEnabledMethods as string[]).includes(method));
  }

  /** The methods the user can sign in with now. */
  activeMethods(user: SecurityUser): string[] {
    const active: string[] = this.activeSetupMethods(user);
    if (user.password && this.options.usEnabledMethods.includes('password')) active.unshift('password');
    return active;
  }

  setupInfo(user: SecurityUser): UsSetupInfo {
    return {
      available_methods: [...this.options.usEnabledMethods],
      setup_methods: this.setupMethods,
      active_methods: this.activeMethods(user),
      code_methods: this.codeMethods,
    };
  }

  // --- sign in ---------------------------------------------------------------------------

  /**
   * `POST /us-signin/send-code`. Generic mode: the same answer, after the
   * same work, whether or not the identity names an account that may get a
   * code; the code is made and mailed after the answer.
   */
  async sendSigninCode(dto: UsSigninSendCodeDto, request: RequestContext): Promise<string> {
    this.requireCodeMethod(dto.chosen_method);
    const identity = dto.identity.trim();
    const user = await this.findByIdentity(identity);
    await this.limits.sendAttempt('us-code', user, identity, request.ip);
    const usable = user && this.passwords.maySignIn(user) && this.hasEmail(user) ? user : null;
    if (!usable && !this.options.returnGenericResponses) {
      const problem = !user
        ? 'No account has this identity'
        : !this.passwords.maySignIn(user)
          ? 'This account cannot sign in'
          : SignInMessage.US_METHOD_NOT_AVAILABLE();
      throw new ValidationFailedException({ identity: [problem] });
    }
    if (usable) {
      this.dispatchCode(usable, 'signin', '', this.options.usEmailLink).catch((error: unknown) =>
        this.logger.error(`could not send a sign-in code to user ${usable.id}: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    return SignInMessage.CODE_HAS_BEEN_SENT();
  }

  /** `POST /us-signin`: the code or the password; any failure is one 400 INVALID_CREDENTIALS (EXPIRED_CODE for a late right code). */
  async signIn(dto: UsSigninDto, request: RequestContext, response: ResponseContext): Promise<SignedInBody | SecondFactorRequiredBody> {
    // A live session being replaced: the request must carry its CSRF token (as POST /login).
    await this.login.checkPresentedSessionCsrf(request);

    const identity = dto.identity.trim();
    const user = await this.findByIdentity(identity);
    const { user: verified, via } = await this.checkPasscode(user, identity, dto.passcode, request.ip, 'signin');
    const secondStep = await this.secondStep(request, response, verified, via, dto.remember === true);
    if (secondStep) return secondStep;
    return this.login.signIn(request, response, verified, via, { remember: dto.remember === true });
  }

  /** `GET /us-verify-link?email&code`: the one-click link of the sign-in code mail. Failures are generic, as for a typed code. */
  async followLink(email: unknown, code: unknown, request: RequestContext): Promise<FollowedLink> {
    if (typeof email !== 'string' || typeof code !== 'string' || email.length > MAX_EMAIL_LENGTH || code.length > 32) {
      return { user: null, error: invalidCode(SignInMessage.INVALID_CODE()) };
    }
    const user = await this.datastore.findUser({ email: email.trim() });
    try {
      await this.limits.codeAttempt(user, email, request.ip);
    } catch (error) {
      if (error instanceof SecurityException) return { user: null, error };
      throw error;
    }
    const usable = user && this.passwords.maySignIn(user) && this.hasEmail(user) ? user : null;
    const outcome = looksLikeCode(code) ? await this.codes.check(usable, 'signin', code) : 'invalid';
    if (outcome === 'expired') return { user: null, error: expiredCode(SignInMessage.CODE_EXPIRED(this.options.usTokenValidity)) };
    if (outcome !== 'ok' || !usable) return { user: null, error: invalidCode(SignInMessage.INVALID_CODE()) };
    await this.limits.codeSucceeded(usable);
    return { user: usable };
  }

  /**
   * Two-factor (flows/two-factor) after a unified sign-in whose method is in
   * `usMfaRequired` (Flask-Security's US_MFA_REQUIRED): the second step
   * starts instead of a session. Null: sign in now.
   */
  async secondStep(
    request: RequestContext,
    response: ResponseContext,
    user: SecurityUser,
    via: 'us-email' | 'us-password',
    remember: boolean,
  ): Promise<SecondFactorRequiredBody | null> {
    if (!this.options.usMfaRequired.includes(via === 'us-password' ? 'password' : 'email')) return null;
    return (await this.secondFactor?.check(request, response, user, { remember, via })) ?? null;
  }

  /** Whether secondStep would start a second step for `via`, asked without starting one (nothing sent, no pending sign-in). */
  async needsSecondStep(request: RequestContext, user: SecurityUser, via: 'us-email' | 'us-password'): Promise<boolean> {
    if (!this.options.usMfaRequired.includes(via === 'us-password' ? 'password' : 'email')) return false;
    return (await this.secondFactor?.requires(request, user)) ?? false;
  }

  // --- re-authentication ---------------------------------------------------------------------

  /** `POST /us-verify/send-code`: a code to the signed-in user's address. */
  async sendVerifyCode(user: SecurityUser, dto: UsVerifySendCodeDto, request: RequestContext): Promise<string> {
    this.requireCodeMethod(dto.chosen_method);
    if (!this.hasEmail(user)) throw methodNotAvailable(SignInMessage.US_METHOD_NOT_AVAILABLE());
    await this.limits.sendAttempt('us-code', user, '', request.ip);
    await this.dispatchCode(user, 'verify', '', false);
    return SignInMessage.CODE_HAS_BEEN_SENT();
  }

  /**
   * `POST /us-verify {passcode}`: the signed-in user proves who they are
   * again, with a code or the password. The session becomes fresh; a new
   * auth token carrying the new authentication time is returned (as /verify).
   */
  async verify(
    request: RequestContext,
    response: ResponseContext,
    dto: UsPasscodeDto,
  ): Promise<{ message: string; user: UserPayload; authentication_token: string; refresh_token?: string }> {
    const authentication = getAuthentication(request)!;
    const current = authentication.user;
    const { user } = await this.checkPasscode(current, current.email, dto.passcode, request.ip, 'verify');
    const now = new Date();
    if (authentication?.session) await this.sessions.reauthenticated(authentication.session, now);
    if (authentication) authentication.authenticatedAt = now;
    // With refreshTokens on, a refresh token too (LoginService.responseTokens, as /verify).
    const { authentication_token, refresh_token } = await this.login.responseTokens(user, now, response);
    return {
      message: SignInMessage.REAUTHENTICATION_SUCCESSFUL(),
      user: userPayload(user),
      authentication_token,
      ...(refresh_token ? { refresh_token } : {}),
    };
  }

  // --- setup -------------------------------------------------------------------------------

  /**
   * `POST /us-setup` (signed in, fresh). `delete_method` removes methods at
   * once; `chosen_method` mails a code and answers a `state` token (the
   * `us_setup` serializer, valid `usSetupWithin`): the method is added when
   * `POST /us-setup/:state {passcode}` brings the code back.
   */
  async setup(user: SecurityUser, dto: UsSetupDto): Promise<UsSetupInfo & { message: string; chosen_method?: string; state?: string }> {
    const remove = [...new Set(dto.delete_method ?? [])];
    if (!dto.chosen_method && remove.length === 0) {
      throw new ValidationFailedException({ chosen_method: ['Choose a method to set up, or methods to delete'] });
    }
    const setupMethods = this.setupMethods as string[];
    if (dto.chosen_method !== undefined && !setupMethods.includes(dto.chosen_method)) {
      throw new ValidationFailedException({ chosen_method: [SignInMessage.US_METHOD_NOT_AVAILABLE()] });
    }
    const active = this.activeSetupMethods(user) as string[];
    if (remove.some((method) => !active.includes(method))) {
      throw new ValidationFailedException({ delete_method: [SignInMessage.US_METHOD_NOT_AVAILABLE()] });
    }

    if (remove.length > 0) {
      await this.saveMethods(
        user,
        active.filter((method) => !remove.includes(method)),
      );
      this.events.emit(SignInEvent.UsProfileChanged, { userId: user.id, methods: remove, delete: true });
    }
    if (dto.chosen_method === undefined) return { message: SignInMessage.US_SETUP_SUCCESSFUL(), ...this.setupInfo(user) };

    const state: UsSetupState = {
      uid: user.fsUniquifier,
      chosen_method: dto.chosen_method as SetupMethod,
      nonce: randomBytes(16).toString('base64url'),
    };
    await this.dispatchCode(user, 'setup', state.nonce, false);
    return {
      message: SignInMessage.US_SETUP_CODE_SENT(),
      chosen_method: state.chosen_method,
      state: this.serializers.get('us_setup').dumps(state),
      ...this.setupInfo(user),
    };
  }

  /** `POST /us-setup/:state {passcode}`: the code of the setup mail; the method is added. */
  async validateSetup(
    user: SecurityUser,
    token: string,
    dto: UsPasscodeDto,
    request: RequestContext,
  ): Promise<UsSetupInfo & { message: string; chosen_method: string }> {
    const state = this.setupState(user, token);
    await this.limits.codeAttempt(user, '', request.ip);
    const outcome = looksLikeCode(dto.passcode) ? await this.codes.check(user, 'setup', dto.passcode, state.nonce) : 'invalid';
    if (outcome === 'expired') throw expiredCode(SignInMessage.CODE_EXPIRED(this.options.usTokenValidity));
    if (outcome !== 'ok') throw invalidCode(SignInMessage.INVALID_CODE());
    await this.limits.codeSucceeded(user);
    await this.saveMethods(user, [...new Set([...this.activeSetupMethods(user), state.chosen_method])]);
    this.events.emit(SignInEvent.UsProfileChanged, { userId: user.id, methods: [state.chosen_method], delete: false });
    return { message: SignInMessage.US_SETUP_SUCCESSFUL(), chosen_method: state.chosen_method, ...this.setupInfo(user) };
  }

  // --- internals -------------------------------------------------------------------------

  /**
   * The one check of a passcode: a code (when it looks like one and email
   * is enabled; counted per account and address, 429 when locked), else
   * the password (when enabled; PasswordAuthenticator counts and checks it,
   * with a dummy hash for unknown users). Unknown identities do the same work.
   */
  private async checkPasscode(
    user: SecurityUser | null,
    identity: string,
    passcode: string,
    ip: string,
    purpose: Extract<UsCodePurpose, 'signin' | 'verify'>,
  ): Promise<{ user: SecurityUser; via: 'us-email' | 'us-password' }> {
    if (this.codeMethods.length > 0 && looksLikeCode(passcode)) {
      await this.limits.codeAttempt(user, identity, ip);
      const allowed = user && this.hasEmail(user) && (purpose === 'verify' || this.passwords.maySignIn(user)) ? user : null;
      const outcome = await this.codes.check(allowed, purpose, passcode);
      if (outcome === 'ok' && allowed) {
        await this.limits.codeSucceeded(allowed);
        return { user: allowed, via: 'us-email' };
      }
      if (outcome === 'expired') throw expiredCode(SignInMessage.CODE_EXPIRED(this.options.usTokenValidity));
    }
    if (this.options.usEnabledMethods.includes('password')) {
      const verified =
        purpose === 'verify' && user
          ? await this.passwords.reauthenticate(user, passcode, ip)
          : await this.passwords.authenticate({ identity }, passcode, ip);
      if (verified) return { user: verified, via: 'us-password' };
    }
    throw new InvalidCredentialsException(SignInMessage.INVALID_PASSWORD_CODE());
  }

  /** Makes a code and mails it (the mail itself is not awaited); `us.code_sent`. */
  private async dispatchCode(user: SecurityUser, purpose: UsCodePurpose, nonce: string, withLink: boolean): Promise<void> {
    const code = await this.codes.issue(user, purpose, nonce);
    const link = withLink ? `${this.links.api('/us-verify-link')}?email=${encodeURIComponent(user.email)}&code=${code}` : undefined;
    void this.mail.sendTemplate('us_code', user.email, { email: user.email, code, within: this.options.usTokenValidity, link });
    this.events.emit(SignInEvent.UsCodeSent, { userId: user.id, method: 'email', purpose, withLink });
  }

  private setupState(user: SecurityUser, token: string): UsSetupState {
    const checked = this.tokenStatus.check(token, 'us_setup');
    const state = checked.data as Partial<UsSetupState> | null;
    const valid =
      !checked.invalid &&
      state !== null &&
      typeof state === 'object' &&
      state.uid === user.fsUniquifier &&
      typeof state.nonce === 'string' &&
      (this.setupMethods as string[]).includes(String(state.chosen_method));
    if (!valid) throw invalidLink(SignInMessage.US_SETUP_INVALID());
    if (checked.expired) throw expiredLink(SignInMessage.US_SETUP_EXPIRED(this.options.usSetupWithin), false);
    return state as UsSetupState;
  }

  private requireCodeMethod(method: string): void {
    if (!this.codeMethods.includes(method))
      throw new ValidationFailedException({ chosen_method: [SignInMessage.US_METHOD_NOT_AVAILABLE()] });
  }

  private activeSetupMethods(user: SecurityUser): SetupMethod[] {
    return this.setupMethods.filter((method) => (user.usMethods == null ? method === 'email' : user.usMethods.includes(method)));
  }

  private hasEmail(user: SecurityUser): boolean {
    return this.activeSetupMethods(user).includes('email');
  }

  private async saveMethods(user: SecurityUser, methods: string[]): Promise<void> {
    user.usMethods = methods;
    await this.datastore.saveUser(user);
    this.userCache?.invalidate(user.id);
  }

  private findByIdentity(identity: string): Promise<SecurityUser | null> {
    return this.options.usernameEnable ? this.datastore.findUserByIdentity(identity) : this.datastore.findUser({ email: identity });
  }
}
