// Test harness: the engine on a fresh schema and a random port, and real
// Inngest functions served by `inngest/node` over loopback HTTP, so a test
// drives whole workflows (events, steps, sleeps, waits, the clock) end to end.
// Independent of any test runner: the caller passes the database URL.
import crypto from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import type { Inngest, InngestFunction } from "inngest";
import { createServer } from "inngest/node";
import pg from "pg";
import { EngineClient } from "./client";
import { startEngine, type Engine } from "./engine";
import type { EngineOptions } from "./options";

/** Fast polling, retries and shutdown (a test should not wait for production timings), and only warnings logged. */
const TEST_DEFAULTS = {
  port: 0,
  pollIntervalMs: 50,
  backoffMs: [50, 100, 200],
  stopGraceMs: 500,
  logLevel: "warn",
  // Tests move time (advanceClock); a developer's engine has no clock API.
  testClock: true,
  // A function using an option the engine does not enforce must not pass a test here and behave otherwise on Inngest.
  strict: true,
  // Tests jump the clock by days: a periodic purge could delete a finished run a test is about to read.
  retentionMs: 0,
} satisfies Partial<EngineOptions>;

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Tests create and drop schemas: refuse any database that is not on this machine. */
export function assertLocalDatabase(databaseUrl: string): void {
  let hosts: string[];
  try {
    const url = new URL(databaseUrl);
    const socketHosts = url.searchParams.getAll("host");
    hosts = socketHosts.length > 0 ? socketHosts : [url.hostname];
  } catch {
    throw new Error("DATABASE_URL is not a valid postgres:// URL.");
  }
  const remote = hosts.find((host) => !LOCAL_HOSTS.has(host) && !host.startsWith("/"));
  if (remote !== undefined) {
    throw new Error(
      `Refusing DATABASE_URL on host "${remote}": tests create and drop schemas, so they only run against a PostgreSQL on 127.0.0.1, localhost or ::1.`,
    );
  }
}

export function newSchema(): string {
  return `engine_test_${crypto.randomBytes(5).toString("hex")}`;
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export interface TestEngine {
  engine: Engine;
  client: EngineClient;
}

/** Starts an engine with test timings (options given win); the schema is kept, see dropSchema. */
export async function startTestEngine(options: EngineOptions): Promise<TestEngine> {
  assertLocalDatabase(options.databaseUrl);
  const engine = await startEngine({ ...TEST_DEFAULTS, ...options });
  return { engine, client: new EngineClient(engine.url, { eventKey: options.eventKey }) };
}

export interface ServedFunctions {
  /** Serve URL to sync, e.g. http://127.0.0.1:<port>/api/inngest. */
  url: string;
  close(): Promise<void>;
}

/** Serves `functions` with the real `inngest/node` handler on 127.0.0.1 (a random port unless given). */
export async function serveFunctions(options: {
  client: Inngest.Any;
  functions: InngestFunction.Any[];
  port?: number;
}): Promise<ServedFunctions> {
  const server: http.Server = createServer({ client: options.client, functions: options.functions });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/inngest`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends the client's events to the engine, whatever INNGEST_* variables the
 * process has. The client's own `baseUrl` option or `isDev: false` cannot be
 * overridden, so they are reported rather than silently sending elsewhere.
 */
function pointClientAt(client: Inngest.Any, engineUrl: string): void {
  client.setEnvVars({
    INNGEST_DEV: engineUrl,
    INNGEST_BASE_URL: engineUrl,
    INNGEST_API_BASE_URL: engineUrl,
    INNGEST_EVENT_API_BASE_URL: engineUrl,
  });
  const sameOrigin = (url: string) => new URL(url).origin === new URL(engineUrl).origin;
  if (client.mode !== "dev" || !sameOrigin(client.eventBaseUrl) || !sameOrigin(client.apiBaseUrl)) {
    throw new Error(
      `The Inngest client "${client.id}" cannot be pointed at the engine: create it without \`baseUrl\` and without \`isDev: false\`.`,
    );
  }
}

export interface InngestLocalOptions {
  /** A local PostgreSQL; the engine's state goes to a fresh schema, dropped by stop(). */
  databaseUrl: string;
  /** The app's client: its events go to the engine from now on (it is changed in place). */
  client: Inngest.Any;
  functions: InngestFunction.Any[];
  /** Anything but the database and schema (test timings otherwise). */
  engine?: Partial<Omit<EngineOptions, "databaseUrl" | "schema">>;
}

export interface InngestLocal extends TestEngine {
  schema: string;
  /** Where the functions are served (already synced). */
  appUrl: string;
  /**
   * Stops the engine as a crash or a deploy would, keeping its schema: runs,
   * waits and jobs stay stored. The app server keeps serving; the client's
   * events are refused until startEngine().
   */
  stopEngine(): Promise<void>;
  /**
   * Starts a new engine on the same schema and port (the client needs no new
   * address) and syncs the app again, as a restarted engine started with `-u`
   * would; `engine` and `client` are then the new engine's. Runs stopped
   * mid-way carry on from the stored state.
   */
  startEngine(): Promise<void>;
  /** Closes the app server and the engine, then drops the schema. */
  stop(): Promise<void>;
}

/** Engine on a fresh schema, `functions` served and synced, `client` sending to the engine. */
export async function startInngestLocal(options: InngestLocalOptions): Promise<InngestLocal> {
  const { databaseUrl } = options;
  const schema = newSchema();
  const engineOptions = { ...options.engine, databaseUrl, schema };
  let current = await startTestEngine(engineOptions);
  let app: ServedFunctions | undefined;
  const stop = async () => {
    await app?.close();
    await current.engine.stop();
    await dropSchema(databaseUrl, schema);
  };
  const sync = async (engine: Engine, url: string) => {
    const [result] = await engine.sync(url);
    if (!result?.ok) throw new Error(`Syncing the functions with the engine failed: ${result?.error ?? "no result"}`);
  };
  try {
    pointClientAt(options.client, current.engine.url);
    app = await serveFunctions({ client: options.client, functions: options.functions });
    await sync(current.engine, app.url);
    const served = app;
    const local: InngestLocal = {
      ...current,
      schema,
      appUrl: served.url,
      stopEngine: () => current.engine.stop(),
      async startEngine() {
        // Stopping is idempotent: a running engine is stopped first.
        await current.engine.stop();
        current = await startTestEngine({ ...engineOptions, port: current.engine.port });
        Object.assign(local, current);
        await sync(current.engine, served.url);
      },
      stop,
    };
    return local;
  } catch (error) {
    await stop();
    throw error;
  }
}
