// Benchmark of the local engine: event ingestion, per-step overhead, and the
// latency of resuming a waiting run with few or very many runs waiting.
//
//   DATABASE_URL=postgres://… npm run bench -w @wallet/inngest-local
import { fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEngine } from "../index";
import { createLogger } from "../src/log";
import { STEPS, work } from "./app";

const STEP_RUNS = 5;
const WAIT_SAMPLES = 20;
const BULK_WAITING = 100_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? NaN;
}
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Moments reported by the app process, keyed by a token; both sides stamp them on the same clock. */
const now = () => performance.timeOrigin + performance.now();
const signals = new Map<string, (at: number) => void>();
function signal(token: string): Promise<number> {
  return new Promise((resolve) => signals.set(token, resolve));
}

/** Starts bench/app.ts in its own process (as a real app would be) and returns its serve URL. */
async function startApp(engineUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "app.ts");
  const child = fork(file, {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ENGINE_URL: engineUrl },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the bench app exited (${code})`)));
    child.on("message", (message: { type: string; url?: string; token?: string; at?: number }) => {
      if (message.type === "listening" && message.url) resolve(message.url);
      if (message.type === "signal" && message.token) {
        signals.get(message.token)?.(message.at ?? now());
        signals.delete(message.token);
      }
    });
  });
  return { url, child };
}

async function main(databaseUrl: string) {
  const schema = `engine_bench_${crypto.randomBytes(4).toString("hex")}`;
  const engine = await startEngine({ databaseUrl, schema, port: 0, pollIntervalMs: 250, logger: createLogger({ level: "warn" }) });

  const app = await startApp(engine.url);
  const appUrl = app.url;
  await engine.sync(appUrl);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`SET search_path TO ${schema}`);

  const post = async (body: unknown) => {
    const response = await fetch(`${engine.url}/e/bench`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`event API answered ${response.status}`);
    await response.json();
  };

  console.log(
    `Local Inngest engine benchmark (${os.cpus().length} CPUs, Node ${process.version}, schema ${schema}; the app runs in its own process)`,
  );
  console.log("");

  // 1. Event ingestion.
  const ingest = async (label: string, total: number, perRequest: number, concurrency: number, name: string) => {
    let sent = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < total) {
          sent += perRequest;
          await post(Array.from({ length: perRequest }, (_, i) => ({ name, data: { i, payload: "x".repeat(64) } })));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`events ingested per second, ${label}: ${fmt(sent / seconds, 0)}/s (${sent} events in ${fmt(seconds, 2)} s)`);
  };
  await ingest("one event per request, 8 concurrent clients, no function triggered", 4_000, 1, 8, "bench/nothing");
  await ingest("batches of 100 events, 4 concurrent clients, no function triggered", 20_000, 100, 4, "bench/nothing");
  await ingest("one event per request, 8 concurrent clients, each starting a run", 2_000, 1, 8, "bench/trigger");
  await waitFor(async () => Number((await db.query("SELECT count(*) FROM runs WHERE status = 'running'")).rows[0].count) === 0, 120_000);
  console.log("");

  // 2. Per-step overhead: the same work called directly vs. through the engine.
  const directStarted = performance.now();
  for (let r = 0; r < 1_000; r++) for (let i = 0; i < STEPS; i++) work(i);
  const directPerStep = (performance.now() - directStarted) / (1_000 * STEPS);
  const perStep: number[] = [];
  const appShare: number[] = [];
  for (let r = 0; r < STEP_RUNS; r++) {
    const token = `steps-${r}`;
    const done = signal(token);
    const started = now();
    const [eventId] = await engine.send({ name: "bench/steps", data: { token } });
    const finished = await done;
    perStep.push((finished - started) / (STEPS + 1));
    const { rows } = await db.query<{ ms: number }>(
      `SELECT avg(h.duration_ms)::float AS ms FROM run_history h JOIN runs r ON r.id = h.run_id
        WHERE r.event_internal_id = $1 AND h.kind = 'step.completed'`,
      [eventId],
    );
    appShare.push(rows[0]?.ms ?? NaN);
  }
  const added = median(perStep) - directPerStep;
  console.log(`step.run: calling the step's function directly: ${fmt(directPerStep * 1000, 2)} µs per step`);
  console.log(
    `step.run through the engine (sequential ${STEPS}-step function, ${STEP_RUNS} runs): median ${fmt(median(perStep))} ms per step (p95 ${fmt(p95(perStep))} ms)` +
      ` => added latency ≈ ${fmt(added)} ms per step.run`,
  );
  console.log(
    `  of which the app answering the call (SDK replaying the memoized steps and running the new one, HTTP): ${fmt(median(appShare))} ms;` +
      ` the engine (claim, load state, memoize, schedule the next call): ${fmt(added - median(appShare))} ms`,
  );
  console.log("");

  // 3. Wait resume latency with 10, then 100,000 other runs waiting on the same event name.
  let requestSeq = 0;
  const startWaiting = async (requestId: string) => {
    const ready = signal(`ready:${requestId}`);
    await post([{ name: "bench/request", data: { requestId } }]);
    await ready;
    await waitFor(
      async () =>
        (await db.query("SELECT 1 FROM pauses p JOIN runs r ON r.id = p.run_id WHERE r.event->'data'->>'requestId' = $1", [requestId]))
          .rowCount === 1,
      10_000,
    );
  };
  const measureResume = async (): Promise<number[]> => {
    const samples: number[] = [];
    for (let s = 0; s < WAIT_SAMPLES; s++) {
      const requestId = `measured-${requestSeq++}`;
      await startWaiting(requestId);
      const resumed = signal(`resumed:${requestId}`);
      const started = now();
      await post([{ name: "bench/confirm", data: { requestId } }]);
      samples.push((await resumed) - started);
    }
    return samples;
  };
  for (let i = 0; i < 10; i++) await startWaiting(`other-${i}`);
  const waiting = async () => Number((await db.query("SELECT count(*) FROM pauses WHERE event_name = 'bench/confirm'")).rows[0].count);
  const few = await measureResume();
  console.log(
    `wait resume (send the matching event -> the run's next step runs), ${(await waiting()) - 0} runs waiting besides the measured one (real runs):` +
      ` median ${fmt(median(few))} ms (p95 ${fmt(p95(few))} ms, ${WAIT_SAMPLES} samples)`,
  );

  const insertStarted = performance.now();
  await db.query(
    `INSERT INTO runs (id, function_id, status, event_name, event, started_at)
     SELECT 'bulk-' || g, 'bench-waiter', 'running', 'bench/request',
            json_build_object('name', 'bench/request', 'id', 'bulk-event-' || g, 'ts', 0, 'data', json_build_object('requestId', 'bulk-' || g)), now()
       FROM generate_series(1, $1) g`,
    [BULK_WAITING],
  );
  await db.query(
    `INSERT INTO pauses (id, run_id, kind, step_id, step_name, event_name, expression, match_path, match_value, expires_at, created_at)
     SELECT 'bulk-pause-' || g, 'bulk-' || g, 'wait', 'confirm-step', 'confirm', 'bench/confirm', 'event.data.requestId == async.data.requestId',
            'data.requestId', to_json('bulk-' || g)::text, now() + interval '1 day', now()
       FROM generate_series(1, $1) g`,
    [BULK_WAITING],
  );
  await db.query(
    `INSERT INTO jobs (run_id, function_id, kind, step_id, run_at, dedupe_key, payload)
     SELECT 'bulk-' || g, 'bench-waiter', 'wait_timeout', 'confirm-step', now() + interval '1 day', 'bulk-' || g || ':wait:confirm-step', '{"name":"confirm"}'
       FROM generate_series(1, $1) g`,
    [BULK_WAITING],
  );
  await db.query("ANALYZE runs; ANALYZE pauses; ANALYZE jobs");
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  const many = await measureResume();
  console.log(
    `wait resume, ${await waiting()} runs waiting besides the measured one (${BULK_WAITING} inserted in bulk SQL as run + pause + timeout job rows in ${fmt(insertSeconds, 1)} s, plus 10 real runs):` +
      ` median ${fmt(median(many))} ms (p95 ${fmt(p95(many))} ms, ${WAIT_SAMPLES} samples)`,
  );

  await db.end();
  await engine.stop();
  app.child.disconnect();
  app.child.kill();
  const cleanup = new pg.Client({ connectionString: databaseUrl });
  await cleanup.connect();
  await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
  await cleanup.end();
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("benchmark step timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    "DATABASE_URL is not set: the benchmark needs a PostgreSQL to keep the engine's state in (a fresh schema, dropped at the end).",
  );
  process.exit(2);
}
main(databaseUrl).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
