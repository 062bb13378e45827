import { UserChangeFeed, type UserChangeHandlers } from '../user-change-feed.js';
import { refuseInProduction } from './refuse-production.js';

/**
 * The change feed of MemoryUserDatastore: the datastore publishes every
 * change, synchronously, to every subscriber in this process. Never down.
 */
export class MemoryUserChangeFeed extends UserChangeFeed {
  private readonly subscribers = new Set<UserChangeHandlers>();

  constructor() {
    super();
    refuseInProduction('MemoryUserChangeFeed');
  }

  async subscribe(handlers: UserChangeHandlers): Promise<() => Promise<void>> {
    this.subscribers.add(handlers);
    handlers.up();
    return async () => {
      this.subscribers.delete(handlers);
    };
  }

  /** A user changed (their id), or every user ('*'). */
  publish(payload: number | '*'): void {
    for (const handlers of this.subscribers) handlers.changed(String(payload));
  }
}
