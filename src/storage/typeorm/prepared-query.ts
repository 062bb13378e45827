import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isStoreUnavailableError } from '../../common/errors/store-unavailable.js';

/** SQLSTATE 0A000: a prepared statement whose tables changed shape ("cached plan must not change result type"). */
const STALE_PLAN = '0A000';

export type Row = Record<string, unknown>;

/** The part of a node-postgres client used here (its public `query(config)`). */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
  on(event: 'error', listener: () => void): unknown;
  removeListener(event: 'error', listener: () => void): unknown;
}

/** The PostgresDriver method used here (public: TypeORM's replication-aware connection getter). */
interface MasterConnectionDriver {
  obtainMasterConnection(): Promise<[PgClient, (error?: unknown) => void]>;
}

/**
 * One statement of a hot path, run as a named prepared statement: parsed and
 * planned once per pooled connection instead of once per request. On
 * node-postgres it borrows a connection from TypeORM's pool through
 * `driver.obtainMasterConnection()`; other drivers (PGlite) run it through
 * `dataSource.query`. When the server can no longer use the plan (a
 * migration changed the table under it), the statement is renamed, so every
 * connection prepares it anew, and the query retried once.
 */
export class PreparedQuery {
  private readonly baseName: string;
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    readonly text: string,
  ) {
    this.baseName = `nest_security_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  }

  get name(): string {
    return this.generation === 0 ? this.baseName : `${this.baseName}_${this.generation}`;
  }

  async rows(values: unknown[]): Promise<Row[]> {
    if (!usesNodePostgres(this.dataSource)) return this.dataSource.query(this.text, values);
    try {
      return await this.once(values);
    } catch (error) {
      if ((error as { code?: unknown }).code !== STALE_PLAN) throw error;
      this.generation++;
      return this.once(values);
    }
  }

  private async once(values: unknown[]): Promise<Row[]> {
    const [client, release] = await (this.dataSource.driver as unknown as MasterConnectionDriver).obtainMasterConnection();
    // A checked-out client has no 'error' listener of the pool's: a connection lost mid-query would
    // emit an unhandled 'error' and end the process. The query rejects with the same error anyway.
    const swallow = () => undefined;
    client.on('error', swallow);
    let failure: unknown;
    try {
      return (await client.query({ name: this.name, text: this.text, values })).rows;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      client.removeListener('error', swallow);
      // A client whose connection broke is destroyed by the pool rather than handed to the next request.
      release(failure !== undefined && isStoreUnavailableError(failure) ? failure : undefined);
    }
  }
}

/** PostgreSQL through TypeORM's own pg pool (not a custom driver such as PGlite). */
function usesNodePostgres(dataSource: DataSource): boolean {
  const options = dataSource.options as { type: string; driver?: unknown };
  return options.type === 'postgres' && !options.driver;
}
