// GET /metrics: each family moves when its event happens. An ingest-only
// engine (concurrency 0) leaves the jobs it creates due, so the backlog can be
// seen; a second engine on the same schema then runs them.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERDUE_AFTER_MS } from "../src/metrics";
import { dropSchema, eventually, newSchema, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const schema = newSchema();
let ingestOnly: TestEngine;
let worker: TestEngine | undefined;
let app: TestApp;

beforeAll(async () => {
  ingestOnly = await startTestEngine(schema, { concurrency: 0, testClock: true });
  app = await startApp("metrics", ingestOnly.engine.url, (inngest) => [
    inngest.createFunction({ id: "waits", triggers: [{ event: "metrics/start" }] }, async ({ step }) => {
      await step.run("first", () => "done");
      await step.waitForEvent("for-ping", { event: "metrics/ping", if: "async.data.ok == true", timeout: "1h" });
      return "finished";
    }),
  ]);
  await ingestOnly.engine.sync(app.url);
});

afterAll(async () => {
  await app?.close();
  await worker?.engine.stop();
  await ingestOnly?.engine.stop();
  await dropSchema(schema);
});

async function scrape(engine: TestEngine): Promise<string> {
  const response = await fetch(`${engine.engine.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** One sample's value; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("reports every run status, even at zero, and an empty backlog", async () => {
    const text = await scrape(ingestOnly);
    for (const status of ["running", "completed", "failed", "cancelled"])
      expect(sample(text, `inngest_local_runs{status="${status}"}`)).toBe(0);
    expect(text).toContain("# TYPE inngest_local_step_duration_seconds histogram");
    expect(sample(text, "inngest_local_jobs_due")).toBe(0);
    expect(sample(text, "inngest_local_waiting_runs")).toBe(0);
  });

  it("a run nobody executes: running, its job due, then overdue once its time is long past", async () => {
    const [eventId] = await ingestOnly.client.send({ name: "metrics/start", data: {} });
    const text = await eventually(async () => {
      const scraped = await scrape(ingestOnly);
      return sample(scraped, "inngest_local_jobs_due") === 1 && scraped;
    }, "the run's first call to be due");
    expect(sample(text, 'inngest_local_runs{status="running"}')).toBe(1);
    expect(sample(text, "inngest_local_jobs_overdue")).toBe(0);
    expect(text).not.toContain(eventId!);

    const advanced = await fetch(`${ingestOnly.engine.url}/api/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: OVERDUE_AFTER_MS + 1000 }),
    });
    expect(advanced.status).toBe(200);
    expect(sample(await scrape(ingestOnly), "inngest_local_jobs_overdue")).toBe(1);
  });

  it("once an engine runs it: step latency per function, the backlog drained, the run waiting, then completed", async () => {
    worker = await startTestEngine(schema, { testClock: true });
    const text = await eventually(async () => {
      const scraped = await scrape(worker!);
      return sample(scraped, "inngest_local_waiting_runs") === 1 && scraped;
    }, "the run to wait for its event");
    expect(sample(text, "inngest_local_jobs_due")).toBe(0);
    expect(sample(text, "inngest_local_jobs_overdue")).toBe(0);
    // Discovery, the step, and the call that reached the wait.
    const calls = sample(text, 'inngest_local_step_duration_seconds_count{function="metrics-waits"}');
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'inngest_local_step_duration_seconds_bucket{function="metrics-waits",le="+Inf"}')).toBe(calls);
    expect(sample(text, 'inngest_local_step_duration_seconds_sum{function="metrics-waits"}')).toBeGreaterThan(0);
    // The histogram is the engine's own: the ingest-only one ran nothing.
    expect(await scrape(ingestOnly)).not.toContain("inngest_local_step_duration_seconds_count{");

    await worker.client.send({ name: "metrics/ping", data: { ok: true } });
    const done = await eventually(async () => {
      const scraped = await scrape(worker!);
      return sample(scraped, 'inngest_local_runs{status="completed"}') === 1 && scraped;
    }, "the run to complete");
    expect(sample(done, 'inngest_local_runs{status="running"}')).toBe(0);
    expect(sample(done, "inngest_local_waiting_runs")).toBe(0);
  });

  it("is loopback only, like the rest of the API (a page on another Host name is refused)", async () => {
    const url = new URL(ingestOnly.engine.url);
    // fetch would not send another Host; a raw request does.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: "/metrics", headers: { host: `evil.example:${url.port}` }, agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
