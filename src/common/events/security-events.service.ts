import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

/**
 * The one emitter of nest-security's events (Flask-Security's signals):
 * a no-op when the app has not imported `EventEmitterModule`, and a failing
 * listener is logged, never allowed to fail the request that emitted.
 * Each emit passes a copy of the payload, so listeners cannot alter it.
 * The event names and payloads are catalogued next to their emitters
 * (`USER_AUTHENTICATED_EVENT`, `FlowEvent`, `SignInEvent`).
 */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('SecurityEvents');

  constructor(@Optional() private readonly emitter?: EventEmitter2) {}

  emit(name: string, payload: object): void {
    if (!this.emitter) return;
    try {
      this.emitter.emit(name, { ...payload });
    } catch (error) {
      this.logger.error(`A listener of "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
