// The public surface of sign-in and access control; src/index.ts re-exports it.
export { SecurityGuard } from './security.guard.js';
export {
  AuthRequired,
  AnonymousRequired,
  CurrentAuthentication,
  CurrentUser,
  Public,
  type AuthRequiredOptions,
  type AuthRequirement,
} from './decorators/index.js';
export { AUTH_REQUIRED_KEY, PUBLIC_KEY, ANONYMOUS_REQUIRED_KEY, BASIC_AUTH_REALM, AuthMethods } from './authn.constants.js';
export { type Authentication, type SecurityRequestState, getAuthentication } from './authentication.js';
export { Authenticator } from './authenticator.service.js';
export { checkFreshness, type FreshnessCheck, type FreshnessResult } from './freshness.js';
export { TokenStrategy, readAuthToken } from './strategies/token.strategy.js';
export { SessionStrategy } from './strategies/session.strategy.js';
export { BasicStrategy, readBasicCredentials } from './strategies/basic.strategy.js';
export { SecurityPassportStrategy } from './strategies/security-passport.js';
export { StrategyRegistry } from './strategies/strategy-registry.js';
export { SessionService, sessionId, type CreatedSession } from './session/session.service.js';
export { CsrfService } from './csrf/csrf.service.js';
export { AttemptStore, type AttemptResult } from '../storage/attempt-store.js';
export { RedisAttemptStore, redisAttemptStore } from '../storage/redis/redis-attempt.store.js';
export { LoginLimitsService } from './limits/login-limits.service.js';
export { SendLimits, type SendKind as MailSendKind } from './limits/send-limits.service.js';
export { PasswordAuthenticator, type PasswordIdentity } from './login/password-authenticator.service.js';
export {
  LoginService,
  USER_AUTHENTICATED_EVENT,
  userPayload,
  wantsAuthToken,
  type SignedInBody,
  type SignInOptions,
  type UserAuthenticatedEvent,
  type UserPayload,
} from './login/login.service.js';
export { InvalidCredentialsException, INVALID_CREDENTIALS } from './login/invalid-credentials.exception.js';
export { UserCache } from './cache/user-cache.js';
export { UserChangeNotify1795824100000, USER_CHANGED_CHANNEL } from '../storage/typeorm/migrations/1795824100000-user-change-notify.js';
