// Passwordless sign-in's public surface (and the sign-in pieces unified sign-in shares), for src/index.ts.
export { PasswordlessService, type FollowedLink } from './passwordless.service.js';
export { LoginLinkDto } from './passwordless.dto.js';
export { LoginLinkBinding } from './login-link-binding.service.js';
export { SignInResponder, LOGIN_SUCCESSFUL } from './sign-in-responder.service.js';
export { SignInLimits, type SignInSendKind as SendKind } from './sign-in-limits.service.js';
export { SignInErrorCode } from './sign-in-errors.js';
export {
  SignInEvent,
  type LoginInstructionsSentEvent,
  type UsCodePurpose,
  type UsCodeSentEvent,
  type UsProfileChangedEvent,
} from './sign-in-events.js';
