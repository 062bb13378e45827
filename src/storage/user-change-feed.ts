export interface UserChangeHandlers {
  /** A user id, or '*' for every user. */
  changed(payload: string): void;
  /** The feed is live (again): no change is missed from now on. */
  up(): void;
  /** The feed broke: changes may be missed until the next `up`. */
  down(error?: unknown): void;
}

/**
 * Announces every change to a user (any column, roles, permissions of their
 * roles, deletion), whichever process made it; the user cache drops its
 * entries on each. Also the injection token.
 *
 * `subscribe` resolves once the feed is live (after calling `up`), or
 * rejects with the reason it cannot work; the function it resolves to
 * unsubscribes. A feed that may lose changes must call `down` first.
 */
export abstract class UserChangeFeed {
  abstract subscribe(handlers: UserChangeHandlers): Promise<() => Promise<void>>;
}
