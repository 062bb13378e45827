import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** SQLSTATE 0A000: a prepared statement whose tables changed shape ("cached plan must not change result type"). */
const STALE_PLAN = '0A000';

export type Row = Record<string, unknown>;

/** The part of a node-postgres client used here (its public `query(config)`). */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
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
 * `dataSource.query`. A plan the server can no longer use (the table changed
 * under it) is retried once on another connection, the stale one dropped.
 */
export class PreparedQuery {
  readonly name: string;

  constructor(
    private readonly dataSource: DataSource,
    readonly text: string,
  ) {
    this.name = `nest_security_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  }

  async rows(values: unknown[]): Promise<Row[]> {
    if (!usesNodePostgres(this.dataSource)) return this.dataSource.query(this.text, values);
    try {
      return await this.once(values);
    } catch (error) {
      if ((error as { code?: unknown }).code !== STALE_PLAN) throw error;
      return this.once(values);
    }
  }

  private async once(values: unknown[]): Promise<Row[]> {
    const [client, release] = await (this.dataSource.driver as unknown as MasterConnectionDriver).obtainMasterConnection();
    try {
      const result = await client.query({ name: this.name, text: this.text, values });
      release();
      return result.rows;
    } catch (error) {
      // A stale plan stays cached on its connection: release it with the error, so the pool drops it.
      release((error as { code?: unknown }).code === STALE_PLAN ? error : undefined);
      throw error;
    }
  }
}

/** PostgreSQL through TypeORM's own pg pool (not a custom driver such as PGlite). */
function usesNodePostgres(dataSource: DataSource): boolean {
  const options = dataSource.options as { type: string; driver?: unknown };
  return options.type === 'postgres' && !options.driver;
}
