// The JSON API, the clock API, the web page, health, start-before-the-app
// sync, and an app configured only through Inngest's environment variables.
import net from "node:net";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, eventually, newSchema, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const schema = newSchema();
let t: TestEngine;
let app: TestApp;

beforeAll(async () => {
  t = await startTestEngine(schema);
  app = await startApp("api", t.engine.url, (inngest) => [
    inngest.createFunction({ id: "greeter", triggers: [{ event: "api/greet" }] }, async ({ event, step }) => {
      const greeting = await step.run("greet", (name: string) => `hello ${name}`, String(event.data.name));
      await step.run("html", () => "<script>alert('x')</script>");
      return { greeting };
    }),
    inngest.createFunction({ id: "waits", triggers: [{ event: "api/wait" }] }, async ({ step }) => {
      await step.waitForEvent("for-ping", { event: "api/ping", if: "async.data.ok == true", timeout: "1h" });
      return "done";
    }),
  ]);
  await t.engine.sync(app.url);
});

afterAll(async () => {
  await app?.close();
  await t?.engine.stop();
  await dropSchema(schema);
});

// Response bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function getJson(path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${t.engine.url}${path}`);
  return { status: response.status, body: await response.json() };
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${t.engine.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe("JSON API", () => {
  it("GET /health answers 200 while the database is reachable", async () => {
    const { status, body } = await getJson("/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, schema });
  });

  it("lists runs by function (id or slug), status and event; shows a run with its steps", async () => {
    const [eventId] = await t.client.send({ name: "api/greet", data: { name: "Ada" } });
    const { body: byEvent } = await getJson(`/api/events/${eventId}/runs`);
    expect(byEvent.runs).toHaveLength(1);
    const runId = byEvent.runs[0].id as string;
    await t.client.waitForRun(runId);

    for (const fn of ["greeter", "api-greeter"]) {
      const { body } = await getJson(`/api/runs?function=${fn}&status=completed&event=api/greet&limit=5`);
      expect(body.runs.map((r: { id: string }) => r.id)).toContain(runId);
    }
    expect((await getJson("/api/runs?function=greeter&status=failed")).body.runs).toEqual([]);
    expect((await getJson("/api/runs?event=api/other")).body.runs).toEqual([]);

    const { status, body: run } = await getJson(`/api/runs/${runId}`);
    expect(status).toBe(200);
    expect(run).toMatchObject({
      id: runId,
      functionId: "api-greeter",
      functionSlug: "greeter",
      status: "completed",
      eventName: "api/greet",
      eventId,
    });
    expect(run.output).toEqual({ greeting: "hello Ada" });
    expect(run.steps[0]).toMatchObject({ name: "greet", op: "StepRun", input: ["Ada"], output: "hello Ada", attempt: 0 });
    expect(typeof run.steps[0].at).toBe("string");
    expect(
      run.history.some((h: { kind: string; durationMs: number | null }) => h.kind === "step.completed" && typeof h.durationMs === "number"),
    ).toBe(true);
  });

  it("lists events by name and limit, and finds one by id", async () => {
    await t.client.send([
      { name: "api/listed", data: { n: 1 } },
      { name: "api/listed", data: { n: 2 } },
      { name: "api/listed", id: "custom-id", data: { n: 3 } },
    ]);
    const { body } = await getJson("/api/events?name=api/listed&limit=2");
    expect(body.events).toHaveLength(2);
    expect(body.events.every((e: { name: string }) => e.name === "api/listed")).toBe(true);
    const { body: byPayloadId } = await getJson("/api/events/custom-id");
    expect(byPayloadId).toMatchObject({ eventId: "custom-id", name: "api/listed" });
    expect(byPayloadId.payload.data).toEqual({ n: 3 });
    expect((await getJson("/api/events/nope")).status).toBe(404);
    expect((await getJson("/api/runs/nope")).status).toBe(404);
    expect((await getJson("/api/runs?limit=abc")).status).toBe(400);
  });

  it("shows what a run waits for, and cancels it on request", async () => {
    const [eventId] = await t.client.send({ name: "api/wait" });
    const [summary] = await t.client.eventRuns(eventId!);
    const waiting = await t.client.waitForRun(summary!.id, { until: (r) => r.waitingFor.pauses.length > 0 });
    expect(waiting.waitingFor.pauses[0]).toMatchObject({
      kind: "wait",
      event: "api/ping",
      expression: "async.data.ok == true",
      stepName: "for-ping",
    });
    expect(waiting.waitingFor.jobs[0]).toMatchObject({ kind: "wait_timeout", stepName: "for-ping" });
    const { status } = await post(`/api/runs/${summary!.id}/cancel`, {});
    expect(status).toBe(200);
    const run = await t.client.run(summary!.id);
    expect(run.status).toBe("cancelled");
    expect(run.waitingFor).toEqual({ pauses: [], jobs: [] });
  });

  it("POST /api/sync re-syncs the known apps", async () => {
    const { status, body } = await post("/api/sync", {});
    expect(status).toBe(200);
    expect(body.results).toEqual([expect.objectContaining({ url: app.url, ok: true, appId: "api", functions: 2 })]);
  });
});

describe("clock API", () => {
  it("reports and advances engine time, by ms or by duration", async () => {
    const before = (await getJson("/api/clock")).body;
    expect(Math.abs(before.nowMs - before.offsetMs - Date.now())).toBeLessThan(5_000);
    const afterMs = (await post("/api/clock/advance", { ms: 60_000 })).body;
    expect(afterMs.offsetMs).toBe(before.offsetMs + 60_000);
    const afterDuration = (await post("/api/clock/advance", { duration: "2h" })).body;
    expect(afterDuration.offsetMs).toBe(before.offsetMs + 60_000 + 7_200_000);
    expect((await post("/api/clock/advance", { ms: -1 })).status).toBe(400);
    expect((await post("/api/clock/advance", { duration: "soon" })).status).toBe(400);
  });
});

describe("web page", () => {
  it("lists recent runs and events, and shows a run with escaped step data", async () => {
    const [eventId] = await t.client.send({ name: "api/greet", data: { name: "<b>Bob</b>" } });
    const [summary] = await t.client.eventRuns(eventId!);
    await t.client.waitForRun(summary!.id);

    const home = await fetch(`${t.engine.url}/`);
    expect(home.headers.get("content-type")).toContain("text/html");
    const homeHtml = await home.text();
    expect(homeHtml).toContain(summary!.id);
    expect(homeHtml).toContain("api/greet");

    const runHtml = await (await fetch(`${t.engine.url}/runs/${summary!.id}`)).text();
    expect(runHtml).toContain("greet");
    expect(runHtml).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(runHtml).not.toContain("<script>alert");
    expect(runHtml).not.toContain("<b>Bob</b>");
    expect(runHtml).toContain("hello &lt;b&gt;Bob&lt;/b&gt;");

    const eventHtml = await (await fetch(`${t.engine.url}/events/${eventId}`)).text();
    expect(eventHtml).toContain(summary!.id);
    expect((await fetch(`${t.engine.url}/runs/missing`)).status).toBe(404);
    expect((await fetch(`${t.engine.url}/functions`)).status).toBe(200);
  });
});

describe("apps", () => {
  it("keeps retrying the sync of an app that starts after the engine", async () => {
    const port = await freePort();
    const late = await startTestEngine(newSchema(), { appUrls: [`http://127.0.0.1:${port}/api/inngest`], syncRetryMs: 100 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // the app is not up: the engine keeps running
      expect((await fetch(`${late.engine.url}/health`)).status).toBe(200);
      const lateApp = await startApp(
        "late",
        late.engine.url,
        (inngest) => [inngest.createFunction({ id: "hi", triggers: [{ event: "late/hi" }] }, async () => "hi")],
        { port },
      );
      try {
        await eventually(async () => {
          const body = (await (await fetch(`${late.engine.url}/api/functions`)).json()) as { functions: Array<{ id: string }> };
          return body.functions.some((f) => f.id === "late-hi");
        }, "the late app to be synced");
        await late.client.send({ name: "late/hi" });
        expect((await late.client.waitForRun({ function: "hi" })).output).toBe("hi");
      } finally {
        await lateApp.close();
      }
    } finally {
      await late.engine.stop();
      await dropSchema(late.engine.schema);
    }
  });

  it("a re-sync replaces triggers and retires removed functions (no stale trigger cache)", async () => {
    const first = await startApp("resync", t.engine.url, (inngest) => [
      inngest.createFunction({ id: "moving", triggers: [{ event: "resync/one" }] }, async () => "v1"),
      inngest.createFunction({ id: "leaving", triggers: [{ event: "resync/one" }] }, async () => "bye"),
    ]);
    await t.engine.sync(first.url);
    const [e1] = await t.client.send({ name: "resync/one" });
    await expect.poll(async () => (await t.client.eventRuns(e1!)).length).toBe(2);
    await first.close();

    const second = await startApp("resync", t.engine.url, (inngest) => [
      inngest.createFunction({ id: "moving", triggers: [{ event: "resync/two" }] }, async () => "v2"),
    ]);
    try {
      await t.engine.sync(second.url);
      const [e2, e3] = await t.client.send([{ name: "resync/one" }, { name: "resync/two" }]);
      const [run] = await eventually(async () => {
        const runs = await t.client.eventRuns(e3!);
        return runs.length ? runs : undefined;
      }, "a run of the re-synced trigger");
      expect((await t.client.waitForRun(run!.id)).output).toBe("v2");
      expect(await t.client.eventRuns(e2!)).toEqual([]);
      const { body } = await getJson("/api/functions");
      expect(body.functions.find((f: { id: string }) => f.id === "resync-leaving").deleted).toBe(true);
    } finally {
      await second.close();
    }
  });

  it("works with an app configured only by INNGEST_DEV=<engine url>", async () => {
    const saved = { dev: process.env.INNGEST_DEV, base: process.env.INNGEST_BASE_URL };
    process.env.INNGEST_DEV = t.engine.url;
    delete process.env.INNGEST_BASE_URL;
    try {
      const client = new Inngest({ id: "env-configured" });
      const { ids } = await client.send({ name: "api/from-env", data: { x: 1 } });
      expect(ids).toHaveLength(1);
      const events = await t.client.events({ name: "api/from-env" });
      expect(events[0]?.id).toBe(ids[0]);
    } finally {
      if (saved.dev === undefined) delete process.env.INNGEST_DEV;
      else process.env.INNGEST_DEV = saved.dev;
      if (saved.base !== undefined) process.env.INNGEST_BASE_URL = saved.base;
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
