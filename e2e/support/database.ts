import pg from "pg";
import { DATABASE_IS_LOCAL, DATABASE_URL } from "./env";

// Direct database access for what a test cannot do through the product
// (moving an expiry into the past instead of waiting for it) and for cleaning
// up the accounts a test created. Never for a database on another machine.

export type Database = {
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
};

let pool: pg.Pool | undefined;

/** The test database, or null when the suite has none (see env.ts, `missing.database`). */
export function database(): Database | null {
  if (!DATABASE_URL || !DATABASE_IS_LOCAL) return null;
  pool ??= new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const connected = pool;
  return {
    async sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []) {
      return (await connected.query<T>(text, values)).rows;
    },
  };
}

/** Lets a worker exit without waiting for idle connections to time out. */
export async function closeDatabase(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.end();
}
