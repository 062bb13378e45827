import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

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
} as const;

export type FlowEventName = (typeof FlowEvent)[keyof typeof FlowEvent];

/**
 * What every flow event carries: who, and the address concerned. Never a
 * password, hash, token or link. `email.changed` adds the previous address,
 * `email.change_requested` the requested one.
 */
export interface FlowEventPayload {
  userId: number;
  email?: string;
  previousEmail?: string;
  newEmail?: string;
}

/** Emits flow events; a no-op without EventEmitterModule, and a failing listener never fails the request. */
@Injectable()
export class FlowEvents {
  private readonly logger = new Logger('FlowEvents');

  constructor(@Optional() private readonly emitter?: EventEmitter2) {}

  emit(name: FlowEventName, payload: FlowEventPayload): void {
    if (!this.emitter) return;
    try {
      this.emitter.emit(name, { ...payload });
    } catch (error) {
      this.logger.error(`A listener of "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
