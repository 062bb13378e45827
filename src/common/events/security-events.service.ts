import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

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
 * `@nestjs/event-emitter` is an optional peer, so it is never imported here:
 * the app's EventEmitter2 provider is found among the app's providers by its
 * token's name, once the app has started.
 */
@Injectable()
export class SecurityEvents implements OnApplicationBootstrap {
  private readonly logger = new Logger('SecurityEvents');
  private emitter?: EventEmitterLike;
  private resolved = false;

  constructor(private readonly modules: ModulesContainer) {}

  onApplicationBootstrap(): void {
    this.emitter = this.findEmitter();
    this.resolved = true;
  }

  emit(name: string, payload: object): void {
    const emitter = this.resolved ? this.emitter : this.findEmitter();
    if (!emitter) return;
    try {
      emitter.emit(name, { ...payload });
    } catch (error) {
      this.logger.error(`A listener of "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The instance of the provider whose token is the class EventEmitter2 (what `EventEmitterModule.forRoot()` registers). */
  private findEmitter(): EventEmitterLike | undefined {
    for (const module of this.modules.values()) {
      for (const [token, wrapper] of module.providers) {
        if (typeof token !== 'function' || token.name !== 'EventEmitter2') continue;
        const instance: unknown = wrapper.instance;
        if (instance && typeof (instance as EventEmitterLike).emit === 'function') return instance as EventEmitterLike;
      }
    }
    return undefined;
  }
}
