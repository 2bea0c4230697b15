// Command line in the spirit of `inngest dev` (installed as the `inngest-local` bin):
//   DATABASE_URL=postgres://... npx inngest-local --port 8288 -u http://localhost:3000/api/inngest
import { parseArgs } from "node:util";
import { parseDurationMs } from "./src/duration";
import { startEngine } from "./src/engine";
import { createLogger, type LogLevel } from "./src/log";
import { DEFAULT_PORT, DEFAULT_PURGE_INTERVAL_MS, DEFAULT_RETENTION_MS, DEFAULT_SCHEMA } from "./src/options";

const USAGE = `Local Inngest engine (durable execution for development and tests)

Usage: DATABASE_URL=postgres://… inngest-local [options]

  -u, --sdk-url <url>       serve URL of an app to sync (repeatable), e.g. http://localhost:3000/api/inngest
  -p, --port <port>         port to listen on (default ${DEFAULT_PORT})
      --host <host>         interface to listen on (default 127.0.0.1)
      --schema <name>       PostgreSQL schema for the engine's state (default ${DEFAULT_SCHEMA})
      --database-url <url>  instead of the DATABASE_URL environment variable
      --concurrency <n>     jobs run at once by this process (default 16)
      --poll-interval <d>   look for due jobs at least this often (default 250ms)
      --backoff <list>      retry delays, e.g. 1s,2s,5s,10s,30s
      --sync-interval <d>   re-sync known apps this often (default: only at start and on POST /api/sync)
      --allow-app <url>     another serve URL that POST /api/sync and /fn/register may register (repeatable)
      --signing-key <key>   sign calls to apps as Inngest does (default: INNGEST_SIGNING_KEY), for apps in cloud mode
      --event-key <key>     accept events only at /e/<key> (default: INNGEST_EVENT_KEY)
      --retention <d>       delete ended runs (with their steps and history) and unused events this long
                            after they ended, e.g. 7d, 12h; off keeps everything
                            (default: INNGEST_LOCAL_RETENTION, else ${DEFAULT_RETENTION_MS / 86_400_000}d)
      --purge-interval <d>  how often retention runs, also once at start
                            (default: INNGEST_LOCAL_PURGE_INTERVAL, else ${DEFAULT_PURGE_INTERVAL_MS / 3_600_000}h)
      --test-clock          serve the clock API (/api/clock/advance): for test stacks only
      --strict              refuse to sync functions using options the engine does not enforce (throttle, rateLimit, …)
      --log-level <level>   debug | info | warn | error (default info)
  -h, --help                this text
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function duration(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(/^\d+$/.test(value) ? `${value}ms` : value);
  if (ms === undefined) fail(`Invalid ${name}: ${value}`);
  return ms;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      "sdk-url": { type: "string", short: "u", multiple: true },
      port: { type: "string", short: "p" },
      host: { type: "string" },
      schema: { type: "string" },
      "database-url": { type: "string" },
      concurrency: { type: "string" },
      "poll-interval": { type: "string" },
      backoff: { type: "string" },
      "sync-interval": { type: "string" },
      "allow-app": { type: "string", multiple: true },
      "signing-key": { type: "string" },
      "event-key": { type: "string" },
      retention: { type: "string" },
      "purge-interval": { type: "string" },
      "test-clock": { type: "boolean" },
      strict: { type: "boolean" },
      "log-level": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
} catch (error) {
  fail((error as Error).message);
}
const args = parsed.values;
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const databaseUrl = args["database-url"] ?? process.env.DATABASE_URL;
if (!databaseUrl) fail("DATABASE_URL is not set (the engine keeps its state in PostgreSQL).");
const port = args.port === undefined ? DEFAULT_PORT : Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`Invalid port: ${args.port}`);
const logLevel = (args["log-level"] ?? "info") as LogLevel;
if (!["debug", "info", "warn", "error"].includes(logLevel)) fail(`Invalid log level: ${logLevel}`);
const concurrency = args.concurrency === undefined ? undefined : Number(args.concurrency);
if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) fail(`Invalid concurrency: ${args.concurrency}`);
const backoffMs = args.backoff?.split(",").map((part) => duration(part.trim(), "backoff")!);

const retentionText = args.retention ?? process.env.INNGEST_LOCAL_RETENTION;
const retentionMs = retentionText === "off" ? 0 : duration(retentionText, "retention");
const purgeIntervalMs = duration(args["purge-interval"] ?? process.env.INNGEST_LOCAL_PURGE_INTERVAL, "purge interval");
if (purgeIntervalMs !== undefined && purgeIntervalMs < 1_000) fail("Invalid purge interval: at least 1s");

const signingKey = args["signing-key"] ?? process.env.INNGEST_SIGNING_KEY;
const log = createLogger({ level: logLevel });
try {
  const engine = await startEngine({
    databaseUrl,
    port,
    host: args.host,
    schema: args.schema,
    appUrls: args["sdk-url"] ?? [],
    concurrency,
    pollIntervalMs: duration(args["poll-interval"], "poll interval"),
    backoffMs,
    syncIntervalMs: duration(args["sync-interval"], "sync interval"),
    allowApps: args["allow-app"] ?? [],
    signingKey,
    eventKey: args["event-key"] ?? process.env.INNGEST_EVENT_KEY,
    retentionMs,
    purgeIntervalMs,
    testClock: args["test-clock"] ?? false,
    strict: args.strict ?? false,
    logger: log,
  });
  log.info(
    signingKey
      ? `UI and API at ${engine.url} — point the app at it in cloud mode with INNGEST_BASE_URL=${engine.url} and the same INNGEST_SIGNING_KEY`
      : `UI and API at ${engine.url} — point the app at it with INNGEST_DEV=1 INNGEST_BASE_URL=${engine.url}`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1); // second Ctrl-C: leave at once
    stopping = true;
    log.info("stopping", { signal });
    engine.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
} catch (error) {
  log.error("engine failed to start", { error: (error as Error).message });
  process.exit(1);
}
