// Two engines on one database (no step runs twice), and waits found by index
// whatever the number of other runs waiting.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAUSE_CANDIDATES_SQL } from "../src/store/pauses";
import { Counter, databaseUrl, dropSchema, newSchema, sleep, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const schema = newSchema();
let a: TestEngine;
let b: TestEngine;
let app: TestApp;
let db: pg.Client;
const counter = new Counter();

beforeAll(async () => {
  a = await startTestEngine(schema, { concurrency: 4 });
  b = await startTestEngine(schema, { concurrency: 4 });
  app = await startApp("scale", a.engine.url, (inngest) => [
    inngest.createFunction({ id: "work", triggers: [{ event: "scale/work" }] }, async ({ event, step }) => {
      for (const part of ["one", "two", "three"]) {
        await step.run(part, async () => {
          counter.hit(`${event.data.i}:${part}`);
          await sleep(5);
          return part;
        });
      }
      await step.sleep("pause", "10m");
      await step.run("four", () => counter.hit(`${event.data.i}:four`));
      return event.data.i;
    }),
    inngest.createFunction({ id: "confirm-waiter", triggers: [{ event: "scale/request" }] }, async ({ step }) => {
      const confirmation = await step.waitForEvent("confirm", { event: "scale/confirm", match: "data.requestId", timeout: "24h" });
      return confirmation?.data ?? null;
    }),
  ]);
  await a.engine.sync(app.url);
  db = new pg.Client({ connectionString: databaseUrl() });
  await db.connect();
  await db.query(`SET search_path TO ${schema}`);
});

afterAll(async () => {
  await db?.end();
  await app?.close();
  await a?.engine.stop();
  await b?.engine.stop();
  await dropSchema(schema);
});

describe("two engines on one database", () => {
  it("share the work without running any step twice", async () => {
    const n = 30;
    await a.client.send(Array.from({ length: n }, (_, i) => ({ name: "scale/work", data: { i } })));
    await expect
      .poll(async () => (await db.query("SELECT count(*)::int AS c FROM jobs WHERE kind = 'sleep'")).rows[0].c, { timeout: 30_000 })
      .toBe(n);
    await b.client.advanceClock("10m"); // moved through the other engine: both see it
    await expect
      .poll(async () => (await a.client.runs({ function: "work", status: "completed", limit: 100 })).length, { timeout: 30_000 })
      .toBe(n);

    for (let i = 0; i < n; i++) {
      for (const part of ["one", "two", "three", "four"]) expect(counter.get(`${i}:${part}`), `${i}:${part}`).toBe(1);
    }
    const { rows } = await db.query<{ worker: string; calls: number }>(
      "SELECT worker, count(*)::int AS calls FROM run_history WHERE worker IS NOT NULL GROUP BY worker",
    );
    const workers = new Map(rows.map((r) => [r.worker, r.calls]));
    expect(workers.get(a.engine.workerId)).toBeGreaterThan(0);
    expect(workers.get(b.engine.workerId)).toBeGreaterThan(0);
    const { rows: leftovers } = await db.query("SELECT * FROM jobs WHERE run_id IS NOT NULL");
    expect(leftovers).toEqual([]);
  });
});

describe("leases", () => {
  it("a job leased by an engine that died is taken over when its lease expires, and runs once", async () => {
    const leaseSchema = newSchema();
    // An engine that only ingests (concurrency 0) creates the run and its first job.
    const ingestOnly = await startTestEngine(leaseSchema, { concurrency: 0 });
    const leaseApp = await startApp("lease", ingestOnly.engine.url, (inngest) => [
      inngest.createFunction({ id: "once", triggers: [{ event: "lease/go" }] }, async ({ step }) => {
        return step.run("only-once", () => counter.hit("lease:only-once"));
      }),
    ]);
    let worker: TestEngine | undefined;
    try {
      await ingestOnly.engine.sync(leaseApp.url);
      const [eventId] = await ingestOnly.client.send({ name: "lease/go" });
      const [run] = await ingestOnly.client.eventRuns(eventId!);
      // Pretend an engine claimed the job and died: its lease runs out in 1.5 s.
      await db.query(
        `UPDATE ${leaseSchema}.jobs SET locked_by = 'engine-that-died', locked_until = clock_timestamp() + interval '1500 milliseconds'`,
      );
      worker = await startTestEngine(leaseSchema, { concurrency: 4 });
      await sleep(500);
      expect((await worker.client.run(run!.id)).steps).toEqual([]);
      const done = await worker.client.waitForRun(run!.id);
      expect(done.status).toBe("completed");
      expect(counter.get("lease:only-once")).toBe(1);
    } finally {
      await leaseApp.close();
      await worker?.engine.stop();
      await ingestOnly.engine.stop();
      await dropSchema(leaseSchema);
    }
  });
});

describe("waits are found by index", () => {
  it("resumes the right run among 20,000 other waiting runs, by index", async () => {
    const others = 20_000;
    // Bulk-insert waiting runs the way the engine stores them (a run, its pause, its timeout job).
    await db.query(
      `INSERT INTO runs (id, function_id, status, event_name, event, started_at)
       SELECT 'fake-' || g, 'scale-confirm-waiter', 'running', 'scale/request',
              json_build_object('name', 'scale/request', 'id', 'e' || g, 'ts', 0, 'data', json_build_object('requestId', 'req-' || g)), now()
         FROM generate_series(1, $1) g`,
      [others],
    );
    await db.query(
      `INSERT INTO pauses (id, run_id, kind, step_id, step_name, event_name, expression, match_path, match_value, expires_at, created_at)
       SELECT 'pause-' || g, 'fake-' || g, 'wait', 'x', 'confirm', 'scale/confirm', 'event.data.requestId == async.data.requestId',
              'data.requestId', to_json('req-' || g)::text, now() + interval '1 day', now()
         FROM generate_series(1, $1) g`,
      [others],
    );
    await db.query("INSERT INTO pause_paths VALUES ('scale/confirm', 'data.requestId') ON CONFLICT DO NOTHING");
    await db.query("ANALYZE pauses");

    const [eventId] = await a.client.send({ name: "scale/request", data: { requestId: "the-one" } });
    const [run] = await a.client.eventRuns(eventId!);
    await a.client.waitForRun(run!.id, { until: (r) => r.waitingFor.pauses.length > 0 });

    const plan = await db.query("EXPLAIN (FORMAT JSON) " + PAUSE_CANDIDATES_SQL, [
      "scale/confirm",
      new Date(),
      ["data.requestId"],
      [JSON.stringify("the-one")],
    ]);
    const nodes: Array<Record<string, unknown>> = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node);
      for (const child of (node["Plans"] as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    walk((plan.rows[0]["QUERY PLAN"] as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
    const onPauses = nodes.filter((n) => n["Relation Name"] === "pauses");
    expect(onPauses.length).toBeGreaterThan(0);
    for (const node of onPauses) expect(node["Index Name"], JSON.stringify(node)).toBe("pauses_lookup");

    await a.client.send({ name: "scale/confirm", data: { requestId: "the-one", ok: 1 } });
    const done = await a.client.waitForRun(run!.id);
    expect(done.output).toEqual({ requestId: "the-one", ok: 1 });
    const { rows } = await db.query("SELECT count(*)::int AS c FROM pauses WHERE event_name = 'scale/confirm'");
    expect(rows[0].c).toBe(others);

    // A fake waiting run is matched too (it has no real function behind it: it just must be found).
    await a.client.send({ name: "scale/confirm", data: { requestId: "req-123" } });
    await expect.poll(async () => (await db.query("SELECT count(*)::int AS c FROM pauses WHERE run_id = 'fake-123'")).rows[0].c).toBe(0);
  });
});
