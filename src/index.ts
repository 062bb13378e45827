// The main entry of nest-security: what a Nest app imports. Chosen, not accumulated:
// the framework-free core sits at `nest-security/signing` and `nest-security/passwords`,
// the TypeORM storage (entities, migrations, data source) at `nest-security/typeorm`,
// test helpers at `nest-security/testing`. Names not exported anywhere are internal.

// Module and options
export { SecurityModule } from './security.module.js';
export type { SecurityModuleExtras } from './security.module-definition.js';
export {
  SecurityOptionsError,
  type AuthMethod,
  type BuiltInAuthMethod,
  type PasswordScheme,
  type ResolvedSecurityOptions,
  type SecurityModuleOptions,
} from './security.options.js';
export type { Duration } from './common/duration.js';

// Sign-in: the guard, route decorators and what they put on the request
export { SecurityGuard } from './authn/security.guard.js';
export { SecurityPassportStrategy } from './authn/strategies/security-passport.js';
export { AuthMethods } from './authn/authn.constants.js';
export {
  AnonymousRequired,
  AuthRequired,
  CurrentAuthentication,
  CurrentUser,
  Public,
  type AuthRequiredOptions,
  type AuthRequirement,
} from './authn/decorators/index.js';
export { getAuthentication, type Authentication, type SecurityRequestState } from './authn/authentication.js';
export { SessionService } from './authn/session/session.service.js';

// Authorization
export { PermissionsAccepted, PermissionsRequired, RolesAccepted, RolesRequired } from './authz/authz.decorators.js';
export { userHasPermission, userHasRole, type UserWithRoles } from './authz/user-roles.js';
export type { AuthzRequirement } from './authz/authorize.js';

// Tokens: named serializers and token status
export { DEFAULT_SALTS, SERIALIZER_NAMES, type SerializerName } from './tokens/serializer-names.js';
export { SerializerRegistry } from './tokens/serializer-registry.js';
export { InjectSerializer } from './tokens/inject-serializer.decorator.js';
export { TokenFactory } from './tokens/token.factory.js';
export { TokenStatusService, type TokenCheck, type TokenStatus } from './tokens/token-status.service.js';
export type { AuthTokenData } from './tokens/auth-token.js';
export {
  RefreshTokenEventName,
  RefreshTokenService,
  type RefreshExchange,
  type RefreshTokenEvent,
  type RefreshTokenFailure,
} from './tokens/refresh-token.service.js';
export type { RefreshTokenData } from './tokens/refresh-token.js';
export {
  flaskBaseLegacyLinks,
  flaskBonesLegacyLinks,
  type LegacyLink,
  type LegacyLinkPurpose,
  type LegacyLinkSerializer,
  type LegacyLinksOptions,
} from './tokens/legacy-links.js';

// Contracts an app may implement or replace, and their errors
export { UserDatastore, type CreateRoleInput, type CreateUserInput, type UserLookup } from './storage/user-datastore.js';
export { DuplicateValueError, RoleNotFoundError } from './storage/datastore.errors.js';
export { SessionStore, type StoredSession, type NewSession, type SessionPatch } from './storage/session-store.js';
export { UsedTokenStore } from './storage/used-token-store.js';
export { CodeStore, type StoredCode } from './storage/code-store.js';
export { RefreshTokenStore, type NewRefreshTracker, type RefreshTracker, type StaleTrackers } from './storage/refresh-token-store.js';
export {
  WebAuthnCredentialStore,
  type WebAuthnCredential,
  type NewWebAuthnCredential,
  type WebAuthnUsage,
} from './storage/webauthn-credential-store.js';
export { UserChangeFeed, type UserChangeHandlers } from './storage/user-change-feed.js';
export { StoreFactory, type SecurityStorage, type StorageContext, type StoreSource } from './storage/security-storage.js';
export { AttemptStore, type AttemptResult } from './storage/attempt-store.js';
export { redisAttemptStore } from './storage/redis/redis-attempt.store.js';
export type { SecurityUser } from './storage/typeorm/entities/security-user.entity.js';
export type { Role } from './storage/typeorm/entities/role.entity.js';
export { Mailer, type MailMessage } from './mail/mailer.js';
export { ConsoleMailer } from './mail/console.mailer.js';
export { SmsSender, ConsoleSmsSender } from './mail/sms/index.js';
export { SmtpMailer, type SmtpMailerOptions } from './mail/smtp.mailer.js';
export { MAIL_TEMPLATE_NAMES, type MailTemplateContexts, type MailTemplateName } from './mail/templates/default-templates.js';
export type { MailTemplateOverride } from './mail/templates/render-mail-template.js';
export type { FlowFeature } from './flows/common/flow-feature.js';

// Errors: one response shape, stable codes
export { SecurityErrorCode } from './common/errors/security-error-codes.js';
export {
  CsrfFailedException,
  ExpiredTokenException,
  ForbiddenAccessException,
  InvalidTokenException,
  ReauthRequiredException,
  SecurityException,
  TooManyAttemptsException,
  UnauthenticatedException,
  ValidationFailedException,
  type FieldErrors,
  type SecurityErrorBody,
} from './common/errors/security.exception.js';
export { SecurityExceptionFilter } from './common/errors/security-exception.filter.js';
export { configureSecurityApp } from './common/errors/configure-security-app.js';
export { FlaskSecurityShapedException } from './common/errors/flask-security-error.js';
export { StoreUnavailableException, isStoreUnavailableError } from './common/errors/store-unavailable.js';
export { HousekeepingService } from './storage/housekeeping/housekeeping.service.js';
export { type HousekeepingReport, HOUSEKEEPING_MAX_BATCHES } from './storage/housekeeping/run-housekeeping.js';
export { SecurityValidationPipe } from './common/validation/security-validation.pipe.js';
export { createSecurityValidationPipe, type SecurityValidationPipeOptions } from './common/validation/security-validation.pipe.js';
export { BodyTooComplexException } from './common/validation/body-too-complex.exception.js';
export { DEFAULT_BODY_LIMITS, type BodyLimits } from './common/validation/body-limits.js';
export { FlowErrorCode } from './flows/common/flow-errors.js';
export { SignInErrorCode } from './flows/passwordless/sign-in-errors.js';
export { TwoFactorErrorCode } from './flows/two-factor/two-factor-errors.js';
export type { SecondFactorRequiredBody } from './authn/login/second-factor-gate.js';

// Events (Flask-Security's signals), emitted through @nestjs/event-emitter when the app imports it
export { USER_AUTHENTICATED_EVENT, type UserAuthenticatedEvent, type UserPayload } from './authn/login/login.service.js';
export { FlowEvent, type FlowEventName, type FlowEventPayload } from './flows/common/flow-events.js';
export {
  SignInEvent,
  type LoginInstructionsSentEvent,
  type UsCodePurpose,
  type UsCodeSentEvent,
  type UsProfileChangedEvent,
} from './flows/passwordless/sign-in-events.js';
export {
  TwoFactorEvent,
  type MfRecoveryCodeUsedEvent,
  type MfRecoveryCodesGeneratedEvent,
  type TfCodeConfirmedEvent,
  type TfDisabledEvent,
  type TfProfileChangedEvent,
  type TfSecurityTokenSentEvent,
} from './flows/two-factor/two-factor-events.js';
