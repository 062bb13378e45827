import type { Client, QueryConfig } from 'pg';

/** The rows of one statement. */
export type Rows = Array<Record<string, unknown>>;

/** The parts of a node-postgres pool (pg-pool) used here: its Client class and connection settings. */
export interface NodePostgresPool {
  Client: new (config: object) => Client;
  options: object;
  query(config: QueryConfig): Promise<{ rows: Rows }>;
}

/**
 * One node-postgres connection in pipeline mode, for the lookup every
 * authenticated request makes. On a pool, each concurrent lookup takes its
 * own connection and wakes its own idle server process; pipelined on one
 * connection, lookups queue back to back and one server process stays busy,
 * which here halves the CPU of each lookup on both sides. Each lookup stays
 * one statement of its own, answered in order.
 *
 * The connection is opened from the pool's own settings on first use, and
 * again after it fails (the lookups in flight then fail with its error). It
 * holds the process open only while a lookup is in flight, and close() ends
 * it.
 */
export class PipelinedConnection {
  private connecting?: Promise<Client>;
  private inFlight = 0;
  private closed = false;

  private constructor(private readonly pool: NodePostgresPool) {}

  /** A pipelined connection beside this pool, or undefined when its node-postgres has no pipeline mode. */
  static beside(pool: NodePostgresPool): PipelinedConnection | undefined {
    const probe = new pool.Client({ ...pool.options, pipeline: true }) as Client & { pipeline?: boolean };
    return probe.pipeline === true ? new PipelinedConnection(pool) : undefined;
  }

  async query(config: QueryConfig): Promise<Rows> {
    if (this.closed) throw new Error('nest-security: the lookup connection is closed');
    const client = await (this.connecting ??= this.connect());
    const socket = socketOf(client);
    if (this.inFlight++ === 0) socket?.ref();
    try {
      return (await client.query(config)).rows;
    } finally {
      if (--this.inFlight === 0) socket?.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const connecting = this.connecting;
    this.connecting = undefined;
    const client = await connecting?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<Client> {
    const client = new this.pool.Client({ ...this.pool.options, pipeline: true });
    const connecting = (async () => {
      // A dropped connection is forgotten (an 'error' with no listener would end the process).
      const forget = () => {
        if (this.connecting === connecting) this.connecting = undefined;
      };
      client.on('error', forget);
      client.on('end', forget);
      try {
        await client.connect();
      } catch (error) {
        forget();
        throw error;
      }
      if (this.inFlight === 0) socketOf(client)?.unref();
      return client;
    })();
    return connecting;
  }
}

/** The client's socket (node-postgres keeps it on `connection.stream`). */
function socketOf(client: Client): { ref(): void; unref(): void } | undefined {
  const stream = (client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
  return stream && typeof stream.ref === 'function' && typeof stream.unref === 'function' ? (stream as { ref(): void; unref(): void }) : undefined;
}
