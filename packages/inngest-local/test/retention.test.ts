// Retention on real PostgreSQL with the engine's clock: ended runs older than
// the age go with everything that belongs to them, in batches; a running run,
// its pauses and its triggering event, young runs and cron state stay. The
// purge is counted in /metrics and logged without payloads.
import { NonRetriableError } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PurgeCounts } from "../src/retention";
import { databaseUrl, dropSchema, eventually, newSchema, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const DAY = 86_400_000;
const SECRET = "tok-SECRET-7f3a";
const schema = newSchema();
let t: TestEngine;
let app: TestApp;
let db: pg.Client;

beforeAll(async () => {
  // A long interval: only the pass at start runs by itself (nothing is old then); the test calls purge().
  t = await startTestEngine(schema, { retentionMs: 7 * DAY, purgeIntervalMs: 3_600_000, purgeBatchSize: 10 });
  app = await startApp("ret", t.engine.url, (inngest) => [
    inngest.createFunction({ id: "quick", triggers: [{ event: "ret/quick" }] }, async ({ event, step }) => {
      await step.run("one", () => ({ token: event.data.token }));
      await step.run("two", () => "two");
      return "done";
    }),
    inngest.createFunction({ id: "fails", retries: 0, triggers: [{ event: "ret/fail" }] }, async () => {
      throw new NonRetriableError("boom");
    }),
    inngest.createFunction({ id: "waits", triggers: [{ event: "ret/wait" }] }, async ({ step }) => {
      const ping = await step.waitForEvent("for-ping", { event: "ret/ping", match: "data.id", timeout: "60d" });
      return ping ? "pinged" : "timed out";
    }),
    inngest.createFunction(
      { id: "sleeper", cancelOn: [{ event: "ret/cancel", match: "data.id" }], triggers: [{ event: "ret/sleep" }] },
      async ({ step }) => {
        await step.sleep("long", "60d");
      },
    ),
    inngest.createFunction({ id: "yearly", triggers: [{ cron: "0 0 1 1 *" }] }, async () => "new year"),
  ]);
  await t.engine.sync(app.url);
  db = new pg.Client({ connectionString: databaseUrl() });
  await db.connect();
  await db.query(`SET search_path TO ${schema}`);
});

afterAll(async () => {
  await db?.end();
  await app?.close();
  await t?.engine.stop();
  await dropSchema(schema);
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) x`, params);
  return Number(rows[0]!.n);
}

async function settled(fn: string, status: string, n: number): Promise<string[]> {
  return eventually(async () => {
    const runs = await t.client.runs({ function: fn, status, limit: 1000 });
    return runs.length === n && runs.map((r) => r.id);
  }, `${n} ${status} runs of ${fn}`);
}

async function scrapePurged(engine: TestEngine, kind: string): Promise<number> {
  const text = await (await fetch(`${engine.engine.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`inngest_local_purged_total{kind="${kind}"} `));
  return Number(line?.split(" ")[1] ?? NaN);
}

const status = async (path: string) => (await fetch(`${t.engine.url}${path}`)).status;

describe("retention", () => {
  let oldQuick: string[];
  let oldEventIds: string[];
  let failed: string | undefined;
  let cancelled: string | undefined;
  let waiting: string;
  let waitEvent: string | undefined;
  let young: string[];
  let first: PurgeCounts;

  it("purges ended runs older than the age, in batches, with their steps, history and events", async () => {
    oldEventIds = await t.client.send(Array.from({ length: 25 }, (_, i) => ({ name: "ret/quick", data: { n: i, token: SECRET } })));
    oldQuick = await settled("quick", "completed", 25);
    await t.client.send({ name: "ret/fail", data: {} });
    [failed] = await settled("fails", "failed", 1);
    [waitEvent] = await t.client.send({ name: "ret/wait", data: { id: "w-1" } });
    waiting = (await t.client.waitForRun({ function: "waits" }, { until: (r) => r.waitingFor.pauses.length > 0 })).id;
    await t.client.send({ name: "ret/sleep", data: { id: "s-1" } });
    const sleeping = await t.client.waitForRun(
      { function: "sleeper" },
      { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "sleep") },
    );
    await t.client.send({ name: "ret/cancel", data: { id: "s-1" } });
    [cancelled] = await settled("sleeper", "cancelled", 1);
    expect(cancelled).toBe(sleeping.id);
    const unusedOld = await t.client.send({ name: "ret/nobody-listens", data: { token: SECRET } });

    await t.engine.advanceClock(3 * DAY);
    await t.client.send([
      { name: "ret/quick", data: { n: 100 } },
      { name: "ret/quick", data: { n: 101 } },
    ]);
    young = (await settled("quick", "completed", 27)).filter((id) => !oldQuick.includes(id));
    expect(young).toHaveLength(2);
    // Day 8: the first runs ended 8 days ago, the young ones 5.
    await t.engine.advanceClock(5 * DAY);

    const logsBefore = t.logs.lines.length;
    first = await t.engine.purge();
    expect(first.runs).toBe(25 + 2); // the old quick ones, the failed one and the cancelled one
    expect(first.steps).toBeGreaterThanOrEqual(25 * 2);
    expect(first.history).toBeGreaterThan(first.runs);
    expect(first.events).toBeGreaterThanOrEqual(25 + 2 + 1); // triggers, lifecycle events, the unused one

    for (const id of [...oldQuick, failed!, cancelled!]) expect(await status(`/api/runs/${id}`)).toBe(404);
    const doomed = [...oldQuick, failed!, cancelled!];
    for (const table of ["run_steps", "run_history", "jobs", "pauses"])
      expect(await count(`SELECT 1 FROM ${table} WHERE run_id = ANY($1)`, [doomed])).toBe(0);
    for (const id of [...oldEventIds, ...unusedOld]) expect(await status(`/api/events/${id}`)).toBe(404);
    expect(
      await count("SELECT 1 FROM events WHERE name LIKE 'inngest/function.%' AND payload->'data'->>'run_id' = ANY($1)", [doomed]),
    ).toBe(0);

    // The batch size is 10: 27 runs take three statements, and every table was done in bounded steps.
    const line = t.logs.lines.slice(logsBefore).find((l) => l.includes("retention purged old runs and events"));
    expect(line).toBeDefined();
    expect(line).toContain("runs=27");
    const batches = Number(/batches=(\d+)/.exec(line!)?.[1]);
    expect(batches).toBeGreaterThanOrEqual(3 + Math.ceil(first.history / 10));
    // Counts only: no payload, no run or event id.
    expect(t.logs.text()).not.toContain(SECRET);
    expect(line).not.toContain(oldQuick[0]!);
    expect(line).not.toContain(oldEventIds[0]!);
  });

  it("keeps young runs, a running run with its pause and triggering event, and cron state", async () => {
    for (const id of young) expect((await t.client.run(id)).status).toBe("completed");
    const run = await t.client.run(waiting);
    expect(run.status).toBe("running");
    expect(run.waitingFor.pauses).toEqual([expect.objectContaining({ kind: "wait", event: "ret/ping" })]);
    expect(run.history.some((h) => h.kind === "run.started")).toBe(true);
    expect(await status(`/api/events/${waitEvent}`)).toBe(200);
    expect(await count("SELECT 1 FROM jobs WHERE kind = 'cron' AND function_id = 'ret-yearly'")).toBe(1);

    // The pause still works after the purge; the run ends now (young), so its old event stays with it.
    await t.client.send({ name: "ret/ping", data: { id: "w-1" } });
    expect((await t.client.waitForRun(waiting)).output).toBe("pinged");
    const again = await t.engine.purge();
    expect(again.runs).toBe(0);
    expect(await status(`/api/events/${waitEvent}`)).toBe(200);
    expect((await t.client.run(waiting)).status).toBe("completed");
  });

  it("counts what it purged in /metrics, by kind", async () => {
    expect(await scrapePurged(t, "runs")).toBe(first.runs);
    expect(await scrapePurged(t, "history")).toBe(first.history);
    expect(await scrapePurged(t, "events")).toBe(first.events);
    expect(await scrapePurged(t, "pauses")).toBe(0);
  });

  it("runs by itself every interval: a second engine purges the rest once they are old", async () => {
    await t.engine.advanceClock(8 * DAY);
    const periodic = await startTestEngine(schema, { concurrency: 0, retentionMs: 7 * DAY, purgeIntervalMs: 1_000 });
    try {
      await eventually(async () => (await scrapePurged(periodic, "runs")) === young.length + 1, "the periodic pass", 20_000);
      expect(await status(`/api/runs/${waiting}`)).toBe(404);
      expect(await status(`/api/events/${waitEvent}`)).toBe(404);
      expect(await count("SELECT 1 FROM runs")).toBe(0);
      expect(await count("SELECT 1 FROM jobs WHERE kind = 'cron'")).toBe(1);
    } finally {
      await periodic.engine.stop();
    }
  });

  it("refuses a negative age, and an on-demand pass without a positive one", async () => {
    await expect(startTestEngine(newSchema(), { retentionMs: -1 })).rejects.toThrow(/retentionMs/);
    await expect(t.engine.purge({ retentionMs: 0 })).rejects.toThrow(/positive/);
  });
});
