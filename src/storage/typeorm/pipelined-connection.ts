import type { Client, QueryConfig } from 'pg';

/** SQLSTATE 0A000, as PostgreSQL reports a prepared statement whose table changed shape. */
const STALE_PLAN = '0A000';

/** The rows of one statement. */
export type Rows = Array<Record<string, unknown>>;

/** The parts of a node-postgres pool (pg-pool) used here: its Client class and connection settings. */
export interface NodePostgresPool {
  Client: new (config: object) => Client;
  options: object;
  query(config: QueryConfig): Promise<{ rows: Rows }>;
}

/** One connection and the lookups on it. */
interface Line {
  readonly client: Promise<Client>;
  inFlight: number;
  /** No new lookups go to it; it is ended once the last one in flight settles. */
  retired: boolean;
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
 * again after it fails (the lookups in flight then fail with its error). A
 * prepared statement the server can no longer run as planned (the table
 * changed under it: "cached plan must not change result type") is retried
 * once on a fresh connection, which prepares it anew. It holds the process
 * open only while a lookup is in flight, and close() ends it.
 */
export class PipelinedConnection {
  private current?: Line;
  private closed = false;

  private constructor(private readonly pool: NodePostgresPool) {}

  /** A pipelined connection beside this pool, or undefined when its node-postgres has no pipeline mode. */
  static beside(pool: NodePostgresPool): PipelinedConnection | undefined {
    const probe = new pool.Client({ ...pool.options, pipeline: true }) as Client & { pipeline?: boolean };
    return probe.pipeline === true ? new PipelinedConnection(pool) : undefined;
  }

  async query(config: QueryConfig): Promise<Rows> {
    const line = this.line();
    try {
      return await this.send(line, config);
    } catch (error) {
      if ((error as { code?: unknown }).code !== STALE_PLAN) throw error;
      this.retire(line);
      return this.send(this.line(), config);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const line = this.current;
    if (!line) return;
    this.retire(line);
    if (line.inFlight === 0) await line.client.then((client) => client.end()).catch(() => undefined);
  }

  private line(): Line {
    if (this.closed) throw new Error('nest-security: the lookup connection is closed');
    return (this.current ??= this.open());
  }

  private async send(line: Line, config: QueryConfig): Promise<Rows> {
    const client = await line.client;
    const socket = socketOf(client);
    if (line.inFlight++ === 0) socket?.ref();
    try {
      return (await client.query(config)).rows;
    } finally {
      if (--line.inFlight === 0) {
        socket?.unref();
        if (line.retired) client.end().catch(() => undefined);
      }
    }
  }

  /** Sends no more lookups to this line; ends it now if idle, else when its last lookup settles. */
  private retire(line: Line): void {
    if (this.current === line) this.current = undefined;
    if (line.retired) return;
    line.retired = true;
    if (line.inFlight === 0 && !this.closed) line.client.then((client) => client.end()).catch(() => undefined);
  }

  private open(): Line {
    const client = new this.pool.Client({ ...this.pool.options, pipeline: true });
    const line: Line = { client: this.connect(client), inFlight: 0, retired: false };
    // A dropped connection is forgotten (and an 'error' with no listener would end the process).
    const forget = () => {
      if (this.current === line) this.current = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    line.client.catch(forget);
    return line;
  }

  private async connect(client: Client): Promise<Client> {
    await client.connect();
    // Idle until a lookup is sent: it does not keep the process alive.
    socketOf(client)?.unref();
    return client;
  }
}

/** The client's socket (node-postgres keeps it on `connection.stream`). */
function socketOf(client: Client): { ref(): void; unref(): void } | undefined {
  const stream = (client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
  return stream && typeof stream.ref === 'function' && typeof stream.unref === 'function' ? (stream as { ref(): void; unref(): void }) : undefined;
}
