import pg from "pg";
import { DATABASE_URL } from "./env";

// Direct database access for what a test cannot do through the product:
// moving an expiry into the past instead of waiting for it.

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []) {
  if (!/@(127\.0\.0\.1|localhost)[:/]/.test(DATABASE_URL)) throw new Error("Refusing to touch a non-local database from tests.");
  return (await pool.query<T>(text, values)).rows;
}
