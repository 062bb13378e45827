import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

/** What we use of `@nestjs/event-emitter`'s EventEmitter2. */
interface EventEmitterLike {
  emit(event: string, ...values: unknown[]): boolean;
}

/**
 * The one emitter of nest-security's events (Flask-Security's signals):
 * a no-op when the app has not imported `EventEmitterModule`, and a failing
 * listener is logged, never allowed to fail the request that emitted.
 * Each emit passes a copy of the payload, so listeners cannot alter it.
 * The event names and payloads are catalogued next to their emitters
 * (`USER_AUTHENTICATED_EVENT`, `FlowEvent`, `SignInEvent`).
 *
 * `@nestjs/event-emitter` is an optional peer: it is imported when the app
 * starts, not when nest-security is imported, and only if it is installed;
 * its EventEmitter2 is then looked up among the app's providers.
 */
@Injectable()
export class SecurityEvents implements OnModuleInit {
  private readonly logger = new Logger('SecurityEvents');
  private emitter?: EventEmitterLike;

  constructor(private readonly moduleRef: ModuleRef) {}

  async onModuleInit(): Promise<void> {
    let token: unknown;
    try {
      ({ EventEmitter2: token } = await import('@nestjs/event-emitter'));
    } catch {
      return; // not installed: events are off
    }
    try {
      this.emitter = this.moduleRef.get(token as new () => EventEmitterLike, { strict: false });
    } catch {
      // installed, but the app did not import EventEmitterModule: events are off
    }
  }

  emit(name: string, payload: object): void {
    const emitter = this.emitter;
    if (!emitter) return;
    try {
      emitter.emit(name, { ...payload });
    } catch (error) {
      this.logger.error(`A listener of "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
