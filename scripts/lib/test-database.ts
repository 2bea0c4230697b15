// The PostgreSQL server of every test run: DATABASE_URL's when given (and
// local), else the embedded one on the test port. `npm test` and the
// `test:*` scripts start it once and pass DATABASE_URL to what they run.
import pg from "pg";
import { startEmbeddedPostgres } from "./postgres";
import { TEST_PORTS } from "./ports-config";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Tests create and drop databases and write whatever rows they like: they
 * must never be pointed at a shared or production server by a stray
 * DATABASE_URL. Only loopback hosts (and local Unix sockets) pass.
 */
export function assertLocalDatabaseUrl(databaseUrl: string): void {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error("Tests refuse to run: DATABASE_URL is not a valid URL.");
  }
  // libpq and pg let `?host=` override the URL's host (a socket directory or another server).
  const hosts = [url.hostname, ...url.searchParams.getAll("host")];
  const remote = hosts.find((host) => !LOCAL_HOSTS.has(host.toLowerCase()) && !host.startsWith("/"));
  if (remote !== undefined) {
    throw new Error(
      `Tests refuse to run against DATABASE_URL host "${remote}": they create and drop databases, so only 127.0.0.1, localhost or ::1 is allowed.`,
    );
  }
}

/** The PostgreSQL server the tests use: DATABASE_URL's (checked to be local), or an embedded one on the test port. */
export async function testDatabaseServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.DATABASE_URL;
  if (given) {
    assertLocalDatabaseUrl(given);
    return { url: given, stop: async () => {} };
  }
  return startEmbeddedPostgres({ dataDir: ".data/pg-test", port: TEST_PORTS.postgres, database: "app_test" });
}

/** One statement on the server's maintenance connection (CREATE and DROP DATABASE cannot run in a transaction). */
async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server (one left by a killed run of the same name is dropped first): its URL, and how to drop it. */
export async function scratchDatabase(serverUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`scratchDatabase: ${name} is not a plain database name`);
  const drop = () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await drop();
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}
