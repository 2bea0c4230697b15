import type { Logger, LogLevel } from "./log";

export interface EngineOptions {
  /** PostgreSQL connection string (the app's database is fine: the engine keeps to its own schema). */
  databaseUrl: string;
  /** Port to listen on; default 8288; 0 picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Schema holding all engine state; default inngest_local. */
  schema?: string;
  /** Serve URLs of apps to sync at start (retried until the app answers). */
  appUrls?: string[];
  /** Maximum jobs (calls to the app, timers) this engine runs at once; default 16. 0 makes an ingest-only engine (API and events, no job execution). */
  concurrency?: number;
  /** How often to look for due jobs when nothing woke the engine up; default 250 ms. */
  pollIntervalMs?: number;
  /** Delay before retry n (0-based), the last entry repeating; default 1s, 2s, 5s, 10s, 30s. */
  backoffMs?: number[];
  /** Timeout of one call to the app; default 5 minutes. */
  callTimeoutMs?: number;
  /** Lease of a claimed job, renewed while it runs; default 30 s. A crashed engine's jobs are retaken after this. */
  leaseMs?: number;
  /** Re-sync known apps this often (0 = only at start and on demand); default 0. */
  syncIntervalMs?: number;
  /** Delay between attempts to reach an app that is not up yet; default 1 s. */
  syncRetryMs?: number;
  /** Window in which a repeated event id is ignored; default 24 h. */
  eventDedupeWindowMs?: number;
  /** On stop, how long in-flight calls may finish before they are abandoned (and retried later); default 2 s. */
  stopGraceMs?: number;
  /** Maximum pg pool size; default 10. */
  poolSize?: number;
  /**
   * Inngest signing key (signkey-<env>-<hex>). Given, every call to an app
   * carries X-Inngest-Signature as Inngest sends it, so apps can run in cloud
   * mode (INNGEST_DEV unset) and verify signatures; out-of-band registration
   * must then authenticate with it.
   */
  signingKey?: string;
  /** Inngest event key. Given, POST /e/:key refuses any other key (401). */
  eventKey?: string;
  /** Serve the clock API (/api/clock, /api/clock/advance). Off by default: only tests may move time. */
  testClock?: boolean;
  /**
   * Refuse to sync a function that uses an option the engine accepts but does
   * not enforce (throttle, rateLimit, debounce, batchEvents, priority,
   * singleton, timeouts), naming it: a test must not pass here and behave
   * differently on Inngest. Off by default (a warning is logged instead); the
   * test harness and the e2e stack turn it on.
   */
  strict?: boolean;
  /**
   * Ended runs (completed, failed, cancelled) are deleted, with their steps
   * and history, this long after they ended (engine time); so are events no
   * remaining run points at. Default 7 days; 0 keeps everything.
   */
  retentionMs?: number;
  /** How often the retention pass runs (also once at start); default 1 hour. */
  purgeIntervalMs?: number;
  /** Rows deleted per statement by the retention pass; default 1,000. */
  purgeBatchSize?: number;
  /** Serve URLs, besides appUrls, that /api/sync and /fn/register may register. Anything else is refused. */
  allowApps?: string[];
  logLevel?: LogLevel;
  logger?: Logger;
}

export type ResolvedOptions = Required<Omit<EngineOptions, "logger" | "logLevel" | "signingKey" | "eventKey">> & {
  logLevel: LogLevel;
  signingKey: string | null;
  eventKey: string | null;
};

export const DEFAULT_PORT = 8288;
export const DEFAULT_SCHEMA = "inngest_local";
export const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;
export const DEFAULT_PURGE_INTERVAL_MS = 3_600_000;

export function resolveOptions(options: EngineOptions): ResolvedOptions {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lower-case letters, digits and underscores.`);
  }
  for (const [name, value] of Object.entries({
    retentionMs: options.retentionMs,
    purgeIntervalMs: options.purgeIntervalMs,
    purgeBatchSize: options.purgeBatchSize,
  })) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new Error(`${name} must be a non-negative number.`);
  }
  if (!options.databaseUrl) throw new Error("databaseUrl (DATABASE_URL) is required.");
  return {
    databaseUrl: options.databaseUrl,
    port: options.port ?? DEFAULT_PORT,
    host: options.host ?? "127.0.0.1",
    schema,
    appUrls: options.appUrls ?? [],
    concurrency: options.concurrency ?? 16,
    pollIntervalMs: options.pollIntervalMs ?? 250,
    backoffMs: options.backoffMs?.length ? options.backoffMs : [1_000, 2_000, 5_000, 10_000, 30_000],
    callTimeoutMs: options.callTimeoutMs ?? 300_000,
    leaseMs: options.leaseMs ?? 30_000,
    syncIntervalMs: options.syncIntervalMs ?? 0,
    syncRetryMs: options.syncRetryMs ?? 1_000,
    eventDedupeWindowMs: options.eventDedupeWindowMs ?? 24 * 3_600_000,
    stopGraceMs: options.stopGraceMs ?? 2_000,
    poolSize: options.poolSize ?? 10,
    signingKey: options.signingKey || null,
    eventKey: options.eventKey || null,
    testClock: options.testClock ?? false,
    strict: options.strict ?? false,
    allowApps: options.allowApps ?? [],
    retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    // A zero interval would spin; a pass is cheap when there is nothing to do, but not free.
    purgeIntervalMs: Math.max(1_000, options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS),
    purgeBatchSize: Math.max(1, Math.floor(options.purgeBatchSize ?? 1_000)),
    logLevel: options.logLevel ?? "info",
  };
}
