// The PostgreSQL server of every test run: DATABASE_URL's when given (and
// local), else the embedded one on the test port. `npm test` and the
// `test:*` scripts start it once and pass DATABASE_URL to what they run.
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
