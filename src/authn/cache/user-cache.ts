import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserChangeFeed } from '../../storage/user-change-feed.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

/** Past this many entries the oldest are dropped. */
const MAX_ENTRIES = 10_000;

interface Entry {
  user: SecurityUser;
  expiresAt: number;
}

/**
 * The optional in-process cache of token users (`userCache.enabled`, off by
 * default): token authentication then needs no query. Entries live `ttl`
 * seconds at most and are dropped the moment the database announces a
 * change to their user, whichever process made it (the UserChangeFeed:
 * with TypeORM, triggers heard over LISTEN/NOTIFY). While the feed is down,
 * nothing is served from the cache.
 *
 * When the feed cannot work (TypeORM: the triggers of migration
 * UserChangeNotify1795824100000 missing, no way to LISTEN), the cache
 * refuses to turn on and says why at start-up.
 */
@Injectable()
export class UserCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('UserCache');
  private readonly entries = new Map<string, Entry>();
  private unsubscribe?: () => Promise<void>;
  private live = false;
  /** Bumped by every invalidation: a load that began before one must not be cached. */
  generation = 0;

  constructor(
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    private readonly feed: UserChangeFeed,
  ) {}

  /** True while the cache may be used: configured on, and hearing every change. */
  get enabled(): boolean {
    return this.live;
  }

  async onModuleInit(): Promise<void> {
    if (!this.options.userCache.enabled) return;
    try {
      this.unsubscribe = await this.feed.subscribe({
        changed: (payload) => this.invalidate(payload),
        up: () => {
          this.clear();
          this.live = true;
        },
        down: (error) => {
          if (this.live) this.logger.warn(`user change notifications lost (${describe(error)}): user cache off until they are back`);
          this.live = false;
          this.clear();
        },
      });
      this.logger.log(`user cache on (ttl ${this.options.userCache.ttl}s, invalidated by the user change feed)`);
    } catch (error) {
      this.live = false;
      this.unsubscribe = undefined;
      this.logger.error(`userCache.enabled is set, but the user cache stays OFF: ${describe(error)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.live = false;
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  get(uid: string): SecurityUser | undefined {
    if (!this.live) return undefined;
    const entry = this.entries.get(uid);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(uid);
      return undefined;
    }
    return entry.user;
  }

  /** Cache a user loaded under `generation` (read it before loading); skipped if anything changed since. */
  set(uid: string, user: SecurityUser, generation: number): void {
    if (!this.live || generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(uid, { user, expiresAt: Date.now() + this.options.userCache.ttl * 1000 });
  }

  /** Drop one user's entries (payload: their id), or all ('*'). */
  invalidate(payload: string | number): void {
    this.generation++;
    const id = Number(payload);
    if (payload === '*' || !Number.isSafeInteger(id)) return this.clear();
    for (const [uid, entry] of this.entries) if (entry.user.id === id) this.entries.delete(uid);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : error === undefined ? 'connection closed' : String(error);
}
