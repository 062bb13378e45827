import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions as PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { USER_CHANGED_CHANNEL } from '../../storage/typeorm/migrations/1795824100000-user-change-notify.js';

export interface UserChangeHandlers {
  /** A user id, or '*' for every user. */
  changed(payload: string): void;
  /** The feed is live (again): nothing was missed from now on. */
  up(): void;
  /** The feed broke: notifications may be lost until the next `up`. */
  down(error?: unknown): void;
}

/** Where user-change notifications come from. */
export interface UserChangeFeed {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * LISTEN on a dedicated `pg` connection made from the DataSource's own
 * settings (a pooled connection cannot hold a LISTEN). Reconnects with
 * backoff; while down, the handlers are told, so the cache stays off.
 */
export class PgUserChangeFeed implements UserChangeFeed {
  private client?: pg.Client;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private retryDelay = 500;

  constructor(
    private readonly options: PostgresConnectionOptions,
    private readonly handlers: UserChangeHandlers,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { url, host, port, username, password, database, ssl, connectTimeoutMS } = this.options;
    // pg is loaded when the cache starts, not when the package is imported (TypeORM loads it on connect too).
    const { default: driver } = await import('pg');
    const client = new driver.Client({
      connectionString: url,
      host,
      port,
      user: username,
      password: typeof password === 'function' ? await password() : password,
      database,
      ssl: ssl as pg.ClientConfig['ssl'],
      connectionTimeoutMillis: connectTimeoutMS,
      application_name: 'nest-security user cache',
    });
    client.on('notification', (message) => {
      if (message.channel === USER_CHANGED_CHANNEL) this.handlers.changed(message.payload ?? '*');
    });
    const broken = (error?: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.handlers.down(error);
      client.end().catch(() => undefined);
      this.scheduleRetry();
    };
    client.on('error', broken);
    client.on('end', () => broken());
    await client.connect();
    await client.query(`LISTEN ${USER_CHANGED_CHANNEL}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryDelay = 500;
    this.handlers.up();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.connect().catch((error) => {
        this.handlers.down(error);
        this.scheduleRetry();
      });
    }, this.retryDelay);
    this.retryTimer.unref();
    this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
  }
}

/** PGlite (the embedded demo database) lives in this process: its own `listen` API. */
export class PGliteUserChangeFeed implements UserChangeFeed {
  private unsubscribe?: () => Promise<void>;

  constructor(
    private readonly pglite: { listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> },
    private readonly handlers: UserChangeHandlers,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.pglite.listen(USER_CHANGED_CHANNEL, (payload) => this.handlers.changed(payload || '*'));
    this.handlers.up();
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = undefined;
  }
}

/**
 * The feed for a DataSource: PostgreSQL through `pg`, PGlite through its
 * `listen` API. Throws with the reason when neither applies.
 */
export async function createUserChangeFeed(dataSource: DataSource, handlers: UserChangeHandlers): Promise<UserChangeFeed> {
  const options = dataSource.options as PostgresConnectionOptions & { driver?: unknown };
  if (options.type !== 'postgres') throw new Error(`the user cache needs PostgreSQL (LISTEN/NOTIFY); this DataSource is "${options.type}"`);
  if (!options.driver) return new PgUserChangeFeed(options, handlers);
  // A custom driver: the embedded PGlite of createSecurityDataSource (typeorm-pglite keeps one instance).
  const { getPGliteInstance } = await import('typeorm-pglite');
  const pglite: unknown = await getPGliteInstance();
  if (!pglite || typeof (pglite as { listen?: unknown }).listen !== 'function') {
    throw new Error('the user cache needs LISTEN/NOTIFY, and this database driver offers no way to listen');
  }
  return new PGliteUserChangeFeed(pglite as never, handlers);
}
