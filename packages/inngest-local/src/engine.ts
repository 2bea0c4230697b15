// Wires the parts together: migrations, pool, clock, LISTEN, job loop, HTTP.
import type { AddressInfo } from "node:net";
import pg from "pg";
import { Clock } from "./clock";
import { transaction, type Core } from "./core";
import { createPool } from "./db";
import { createHttpServer } from "./http/server";
import { ingestEvents, validateEvents } from "./ingest";
import { randomId } from "./ids";
import { createLogger, errorMessage } from "./log";
import { migrate } from "./migrate";
import { normalizeAppUrl } from "./http/guard";
import { resolveOptions, type EngineOptions } from "./options";
import { purgeOnce, startRetention, type PurgeCounts } from "./retention";
import { Scheduler } from "./scheduler";
import { syncApp, syncWhenReady, type SyncResult } from "./sync";

export interface Engine {
  /** Base URL, e.g. http://127.0.0.1:8288 (what INNGEST_BASE_URL / INNGEST_DEV should point at). */
  readonly url: string;
  readonly port: number;
  readonly schema: string;
  /** This engine's id in job leases. */
  readonly workerId: string;
  /** Syncs one app (in-band), or every known app when no URL is given. */
  sync(url?: string): Promise<SyncResult[]>;
  /** Lets HTTP callers (POST /api/sync, the SDK's out-of-band /fn/register) register this serve URL too. */
  allowApp(url: string): void;
  /** Sends events as POST /e/:key would; returns the internal event ids. */
  send(events: Record<string, unknown> | Array<Record<string, unknown>>): Promise<string[]>;
  /** Moves engine time forward for every engine on this schema; returns the new offset. */
  advanceClock(ms: number): Promise<number>;
  /** Current engine time in ms. */
  now(): number;
  /**
   * Runs one retention pass now, with the engine's retention age or the
   * positive one given; returns what it deleted, by kind. Works whether the
   * periodic pass is on or off.
   */
  purge(options?: { retentionMs?: number }): Promise<PurgeCounts>;
  /** Stops claiming work, lets in-flight calls finish briefly, releases leases, closes everything. */
  stop(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const resolved = resolveOptions(options);
  const log = options.logger ?? createLogger({ level: resolved.logLevel });
  await migrate(resolved.databaseUrl, resolved.schema, log);

  const pool = createPool(resolved.databaseUrl, resolved.schema, resolved.poolSize);
  const clock = new Clock();
  await clock.load(pool);
  const channel = `inngest_local_engine_${resolved.schema}`.slice(0, 63);
  const workerId = `engine-${process.pid}-${randomId()}`;
  // Assigned once `core` exists (the scheduler needs it, and core wakes it).
  // eslint-disable-next-line prefer-const
  let scheduler: Scheduler | undefined;
  const core: Core = {
    pool,
    clock,
    log,
    options: resolved,
    workerId,
    channel,
    warned: new Set(),
    triggerCache: new Map(),
    emitLifecycle: async (tx, events) => {
      await ingestEvents(core, tx, events, { internal: true });
    },
    wakeLocal: () => scheduler?.wake(),
    stopping: false,
  };
  scheduler = new Scheduler(core);

  const listener = await listen(core, () => scheduler?.wake());

  const knownUrls = new Set(resolved.appUrls);
  // Which serve URLs HTTP callers may have the engine call: those named at start,
  // plus any the embedding program synced itself (engine.sync is trusted code).
  const allowed = new Set([...resolved.appUrls, ...resolved.allowApps].map(normalizeAppUrl).filter((u): u is string => !!u));
  const isAllowedApp = (url: string): boolean => {
    const normalized = normalizeAppUrl(url);
    return normalized !== undefined && allowed.has(normalized);
  };
  const sync = async (url?: string): Promise<SyncResult[]> => {
    if (url) {
      knownUrls.add(url);
      const normalized = normalizeAppUrl(url);
      if (normalized) allowed.add(normalized);
      return [await syncApp(core, url)];
    }
    const { rows } = await pool.query<{ url: string }>("SELECT url FROM apps");
    const urls = new Set([...knownUrls, ...rows.map((r) => r.url).filter(isAllowedApp)]);
    return Promise.all([...urls].map((u) => syncApp(core, u)));
  };

  const server = createHttpServer({
    core,
    isAllowedApp,
    // Over HTTP, sync only allow-listed URLs (checked by the route) and never widens the list.
    sync: async (url) => (url ? [await syncApp(core, url)] : sync()),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`The engine cannot listen on ${resolved.host}:${resolved.port}: the port is in use.`)
          : error,
      );
    });
    server.listen(resolved.port, resolved.host, () => resolve());
  }).catch(async (error: unknown) => {
    await listener.stop();
    await pool.end();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host}:${port}`;
  scheduler.start();
  log.info("engine listening", { url, schema: resolved.schema, worker: workerId });

  const background: Array<Promise<void>> = [];
  for (const appUrl of resolved.appUrls) background.push(syncWhenReady(core, appUrl, () => core.stopping));
  const timers: NodeJS.Timeout[] = [];
  // The clock offset also arrives by NOTIFY; this catches a missed notification.
  timers.push(setInterval(() => void clock.load(pool).catch(() => {}), 1_000));
  if (resolved.syncIntervalMs > 0) timers.push(setInterval(() => void sync().catch(() => {}), resolved.syncIntervalMs));
  const stopRetention =
    resolved.retentionMs > 0
      ? startRetention(core, {
          retentionMs: resolved.retentionMs,
          intervalMs: resolved.purgeIntervalMs,
          batchSize: resolved.purgeBatchSize,
        })
      : async () => {};

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    schema: resolved.schema,
    workerId,
    sync,
    allowApp(url) {
      const normalized = normalizeAppUrl(url);
      if (!normalized) throw new Error(`not an http(s) URL: ${url}`);
      allowed.add(normalized);
    },
    async send(events) {
      const list = validateEvents(events);
      return transaction(core, (tx) => ingestEvents(core, tx, list));
    },
    async advanceClock(ms) {
      const offset = await clock.advance(pool, ms, channel);
      scheduler?.wake();
      return offset;
    },
    now: () => clock.now(),
    async purge(options = {}) {
      const retentionMs = options.retentionMs ?? resolved.retentionMs;
      if (!Number.isFinite(retentionMs) || retentionMs <= 0) throw new Error("purge: retentionMs must be a positive number of ms.");
      return purgeOnce(core, { retentionMs, batchSize: resolved.purgeBatchSize });
    },
    stop() {
      stopped ??= (async () => {
        core.stopping = true;
        for (const timer of timers) clearInterval(timer);
        await stopRetention();
        server.close();
        server.closeAllConnections();
        await scheduler?.stop(resolved.stopGraceMs);
        await Promise.allSettled(background);
        await listener.stop();
        await pool.end();
        log.info("engine stopped", { worker: workerId });
      })();
      return stopped;
    },
  };
}

/** LISTEN on the schema's channel (job inserted, clock moved), reconnecting if the connection drops. */
async function listen(core: Core, onWake: () => void): Promise<{ stop(): Promise<void> }> {
  let client: pg.Client | undefined;
  let closed = false;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: core.options.databaseUrl });
    next.on("notification", (message) => {
      if (message.payload === "clock") void core.clock.load(core.pool).catch(() => {});
      onWake();
    });
    next.on("error", (error) => {
      if (closed) return;
      core.log.warn("LISTEN connection lost; reconnecting", { error: errorMessage(error) });
      setTimeout(() => void connect().catch(() => {}), 1_000);
    });
    await next.connect();
    await next.query(`LISTEN "${core.channel}"`);
    client = next;
  };
  await connect();
  return {
    async stop() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
