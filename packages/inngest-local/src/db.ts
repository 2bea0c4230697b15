import pg from "pg";

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

export function createPool(databaseUrl: string, schema: string, max: number): pg.Pool {
  // search_path is set per connection, so every query names tables unqualified.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, options: `-c search_path=${schema}` });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => {});
  return pool;
}

/** A transaction with the engine time it started at and work to run after COMMIT. */
export class Tx {
  readonly afterCommit: Array<() => void> = [];
  notify = false;
  constructor(
    readonly client: Client,
    readonly now: number,
  ) {}

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(sql, params);
  }

  /** A named prepared statement: planned once per connection, for the hot paths. */
  async prepared<R extends pg.QueryResultRow = Record<string, unknown>>(
    name: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.client.query<R>({ name, text: sql, values: params });
  }

  /** Wake job workers (of every engine on this database) once the transaction commits. */
  wake(): void {
    this.notify = true;
  }
}

const RETRYABLE = new Set(["40001", "40P01"]); // serialization failure, deadlock

export async function withTx<T>(
  pool: pg.Pool,
  now: () => number,
  channel: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<{ value: T; tx: Tx }> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    const tx = new Tx(client, now());
    let released = false;
    try {
      await client.query("BEGIN");
      const value = await fn(tx);
      if (tx.notify) await client.query("SELECT pg_notify($1, 'jobs')", [channel]);
      await client.query("COMMIT");
      for (const task of tx.afterCommit) task();
      return { value, tx };
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        client.release(true);
        released = true;
      }
      const code = (error as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < 8) continue;
      throw error;
    } finally {
      if (!released) client.release();
    }
  }
}

export function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
