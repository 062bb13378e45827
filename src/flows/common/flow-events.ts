/**
 * Events of the account flows (Flask-Security's signals), emitted through
 * `@nestjs/event-emitter` when the app imports `EventEmitterModule`.
 * Listen with `@OnEvent(FlowEvent.UserRegistered)` or `@OnEvent('user.registered')`.
 */
export const FlowEvent = {
  UserRegistered: 'user.registered',
  UserConfirmed: 'user.confirmed',
  ConfirmInstructionsSent: 'confirm.instructions_sent',
  ResetInstructionsSent: 'reset.instructions_sent',
  PasswordReset: 'password.reset',
  PasswordChanged: 'password.changed',
  EmailChangeRequested: 'email.change_requested',
  EmailChanged: 'email.changed',
  UsernameRecoverySent: 'username.recovery_sent',
  UsernameChanged: 'username.changed',
  SessionsEnded: 'sessions.ended',
} as const;

export type FlowEventName = (typeof FlowEvent)[keyof typeof FlowEvent];

/**
 * What every flow event carries: who, and the address concerned. Never a
 * password, hash, token or link. `email.changed` adds the previous address,
 * `email.change_requested` the requested one. `username.changed` carries
 * the new and the previous username, `sessions.ended` how many sessions the
 * user ended from the session list.
 */
export interface FlowEventPayload {
  userId: number;
  email?: string;
  previousEmail?: string;
  newEmail?: string;
  username?: string;
  previousUsername?: string | null;
  ended?: number;
}
