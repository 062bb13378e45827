/**
 * Events of passwordless and unified sign-in (Flask-Security's
 * login_instructions_sent, us_security_token_sent, us_profile_changed).
 * Sign-ins themselves are `user.authenticated`, emitted by LoginService with
 * `via` 'passwordless', 'us-email' or 'us-password'. No payload carries a
 * token, code or link.
 */
export const SignInEvent = {
  LoginInstructionsSent: 'login.instructions_sent',
  UsCodeSent: 'us.code_sent',
  UsProfileChanged: 'us.profile_changed',
} as const;

/** `login.instructions_sent`: a login link was mailed. */
export interface LoginInstructionsSentEvent {
  userId: number;
  email: string;
}

/** Why a code was sent. */
export type UsCodePurpose = 'signin' | 'verify' | 'setup';

/** `us.code_sent`: a unified sign-in code was mailed. */
export interface UsCodeSentEvent {
  userId: number;
  method: 'email';
  purpose: UsCodePurpose;
  /** The mail also carried a one-click sign-in link. */
  withLink: boolean;
}

/** `us.profile_changed`: methods were added (`delete: false`) or removed. */
export interface UsProfileChangedEvent {
  userId: number;
  methods: string[];
  delete: boolean;
}

/** Each sign-in event's payload, by name (for typed listeners). */
export interface SignInEventPayloads {
  [SignInEvent.LoginInstructionsSent]: LoginInstructionsSentEvent;
  [SignInEvent.UsCodeSent]: UsCodeSentEvent;
  [SignInEvent.UsProfileChanged]: UsProfileChangedEvent;
}
