// Answers a real SDK never gives but a broken app or proxy can: the engine
// must never leave a run in "running" with nothing scheduled.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, dropSchema, newSchema, startApp, startTestEngine, type TestEngine } from "./harness";

const schema = newSchema();
let t: TestEngine;
let server: http.Server;
let appUrl: string;
let calls = 0;
/** What the fake app answers to each step call. */
let answer: { status: number; body: string } = { status: 206, body: "[]" };

beforeAll(async () => {
  t = await startTestEngine(schema, { backoffMs: [20] });
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method === "PUT") {
        const url = appUrl;
        res.writeHead(200, { "content-type": "application/json", "x-inngest-sync-kind": "in_band" });
        const functions = [
          {
            id: "fake-broken",
            name: "broken",
            triggers: [{ event: "fake/go" }],
            steps: {
              step: {
                id: "step",
                name: "step",
                retries: { attempts: 2 },
                runtime: { type: "http", url: `${url}?fnId=fake-broken&stepId=step` },
              },
            },
          },
        ];
        return res.end(JSON.stringify({ app_id: "fake", url, functions }));
      }
      calls += 1;
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  const [result] = await t.engine.sync(appUrl);
  expect(result?.ok).toBe(true);
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.engine.stop();
  await dropSchema(schema);
});

describe("a 206 answer with no actionable operation", () => {
  it.each([
    ["an empty op list", "[]"],
    ["only lazy ops", JSON.stringify([{ op: "DeferAdd", id: "x" }])],
    ["a body that is not JSON", "not json"],
  ])("is a retriable error: %s is retried, then the run fails (never stranded)", async (_label, body) => {
    answer = { status: 206, body };
    calls = 0;
    const [eventId] = await t.client.send({ name: "fake/go" });
    const [run] = await t.client.eventRuns(eventId!);
    const done = await t.client.waitForRun(run!.id, { timeoutMs: 10_000 });
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ name: "NoActionableOperation" });
    // retries: 2 → three attempts.
    expect(calls).toBe(3);
  });
});

describe("GET /api/check", () => {
  it("lists runs marked running with nothing scheduled, and only those", async () => {
    // A run waiting on its retry is running with a job: not stranded.
    answer = { status: 206, body: "[]" };
    const [eventId] = await t.client.send({ name: "fake/go" });
    const [run] = await t.client.eventRuns(eventId!);
    await t.client.waitForRun(run!.id, { until: (r) => r.status === "failed", timeoutMs: 10_000 });
    expect(await t.client.check()).toEqual({ ok: true, stranded: [] });

    // Strand one by hand: a sleeping run whose sleep job is gone (what the 206 bug used to leave).
    answer = { status: 206, body: JSON.stringify([{ op: "Sleep", id: "nap", name: "1h" }]) };
    const [second] = await t.client.send({ name: "fake/go" });
    const [victim] = await t.client.eventRuns(second!);
    await t.client.waitForRun(victim!.id, {
      until: (r) => r.waitingFor.jobs.length === 1 && r.waitingFor.jobs[0]?.kind === "sleep",
      timeoutMs: 10_000,
    });
    expect(await t.client.check()).toEqual({ ok: true, stranded: [] });
    const db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
    try {
      await db.query(`DELETE FROM ${schema}.jobs WHERE run_id = $1`, [victim!.id]);
    } finally {
      await db.end();
    }
    const report = await t.client.check();
    expect(report.ok).toBe(false);
    expect(report.stranded.map((r) => r.id)).toEqual([victim!.id]);
  });
});

describe("strict mode (on in the test harness)", () => {
  it("refuses to sync a function using an option the engine does not enforce, naming it", async () => {
    const app = await startApp("strict", t.engine.url, (inngest) => [
      inngest.createFunction({ id: "limited", rateLimit: { limit: 1, period: "1m" }, triggers: [{ event: "strict/a" }] }, async () => "a"),
      inngest.createFunction({ id: "plain", triggers: [{ event: "strict/b" }] }, async () => "b"),
    ]);
    try {
      const [result] = await t.engine.sync(app.url);
      expect(result?.ok).toBe(false);
      expect(result?.error).toContain("strict-limited uses rateLimit");
      // Nothing of the app was registered.
      const functions = (await (await fetch(`${t.engine.url}/api/functions`)).json()) as { functions: Array<{ id: string }> };
      expect(functions.functions.map((f) => f.id)).not.toContain("strict-plain");
    } finally {
      await app.close();
    }
  });
});
