// Sleeps, waits, the clock, sendEvent, and durability across engine restarts.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Counter, databaseUrl, dropSchema, newSchema, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const schema = newSchema();
let t: TestEngine;
let app: TestApp;
const counter = new Counter();

beforeAll(async () => {
  t = await startTestEngine(schema);
  app = await startApp("durable", t.engine.url, (inngest) => [
    inngest.createFunction({ id: "sleeper", triggers: [{ event: "test/sleep" }] }, async ({ event, step }) => {
      await step.run("before", () => counter.hit(`before:${event.data.key}`));
      await step.sleep("nap", "1h");
      await step.run("after", () => counter.hit(`after:${event.data.key}`));
      return "rested";
    }),
    inngest.createFunction({ id: "sleep-until", triggers: [{ event: "test/sleep-until" }] }, async ({ event, step }) => {
      await step.sleepUntil("until", new Date(String(event.data.at)));
      return "woke";
    }),
    inngest.createFunction({ id: "waiter", triggers: [{ event: "test/request" }] }, async ({ event, step }) => {
      await step.run("before-wait", () => counter.hit(`before-wait:${event.data.requestId}`));
      const confirmation = await step.waitForEvent("wait-confirm", {
        event: "test/confirmed",
        match: "data.requestId",
        timeout: event.data.deadline ? new Date(String(event.data.deadline)) : "24h",
      });
      return { confirmed: confirmation ? confirmation.data : null };
    }),
    inngest.createFunction({ id: "if-waiter", triggers: [{ event: "test/bid-open" }] }, async ({ step }) => {
      const bid = await step.waitForEvent("wait-bid", {
        event: "test/bid",
        if: "async.data.amount > event.data.min && async.data.item == event.data.item",
        timeout: "1h",
      });
      return bid?.data ?? null;
    }),
    inngest.createFunction({ id: "update-waiter", triggers: [{ event: "test/order-placed" }] }, async ({ step }) => {
      const update = await step.waitForEvent("wait-update", {
        event: "test/order-updated",
        if: "async.data.orderId == event.data.orderId && async.data.status != 'rejected'",
        timeout: "1h",
      });
      return update?.data ?? null;
    }),
    inngest.createFunction({ id: "ref-waiter", triggers: [{ event: "test/ref-open" }] }, async ({ step }) => {
      const reply = await step.waitForEvent("wait-reply", {
        event: "test/ref-reply",
        if: "async.data.ref == event.data.ref",
        timeout: "1h",
      });
      return reply?.data ?? null;
    }),
    inngest.createFunction({ id: "sender", triggers: [{ event: "test/send" }] }, async ({ event, step }) => {
      const sent = await step.sendEvent("notify", { name: "test/notified", data: { from: event.data.key } });
      return sent;
    }),
    inngest.createFunction({ id: "notified", triggers: [{ event: "test/notified" }] }, async ({ event }) => ({ from: event.data.from })),
  ]);
  await t.engine.sync(app.url);
});

afterAll(async () => {
  await app?.close();
  await t?.engine.stop();
  await dropSchema(schema);
});

async function runOf(eventId: string) {
  const [run] = await t.client.eventRuns(eventId);
  expect(run).toBeDefined();
  return run!;
}

describe("sleep", () => {
  it("sleeps on engine time and resumes when the clock moves", async () => {
    const [eventId] = await t.client.send({ name: "test/sleep", data: { key: "s1" } });
    const { id } = await runOf(eventId!);
    const sleeping = await t.client.waitForRun(id, { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "sleep") });
    expect(sleeping.status).toBe("running");
    const due = Date.parse(sleeping.waitingFor.jobs.find((j) => j.kind === "sleep")!.runAt);
    expect(due - (await t.client.clock()).nowMs).toBeGreaterThan(59 * 60_000);

    await t.client.advanceClock("59m");
    expect((await t.client.run(id)).status).toBe("running");
    await t.client.advanceClock("1m");
    const run = await t.client.waitForRun(id);
    expect(run.status).toBe("completed");
    expect(run.steps.map((s) => s.name)).toEqual(["before", "nap", "after"]);
    expect([counter.get("before:s1"), counter.get("after:s1")]).toEqual([1, 1]);
  });

  it("sleepUntil a date", async () => {
    const at = new Date((await t.client.clock()).nowMs + 3 * 3_600_000).toISOString();
    const [eventId] = await t.client.send({ name: "test/sleep-until", data: { at } });
    const { id } = await runOf(eventId!);
    const sleeping = await t.client.waitForRun(id, { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "sleep") });
    expect(sleeping.waitingFor.jobs[0]?.runAt).toBe(at);
    await t.client.advanceClock("3h");
    expect((await t.client.waitForRun(id)).output).toBe("woke");
  });
});

describe("waitForEvent", () => {
  it("resumes with the matching event only (match on data.requestId)", async () => {
    const [eventId] = await t.client.send({ name: "test/request", data: { requestId: "r-1" } });
    const { id } = await runOf(eventId!);
    const waiting = await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });
    expect(waiting.waitingFor.pauses[0]).toMatchObject({
      kind: "wait",
      event: "test/confirmed",
      expression: "event.data.requestId == async.data.requestId",
    });

    await t.client.send([
      { name: "test/confirmed", data: { requestId: "r-other" } },
      { name: "test/unrelated", data: { requestId: "r-1" } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await t.client.run(id)).status).toBe("running");

    await t.client.send({ name: "test/confirmed", data: { requestId: "r-1", ok: true } });
    const run = await t.client.waitForRun(id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ confirmed: { requestId: "r-1", ok: true } });
    expect(counter.get("before-wait:r-1")).toBe(1);
  });

  it("resolves with null when the timeout passes on engine time (24h)", async () => {
    const [eventId] = await t.client.send({ name: "test/request", data: { requestId: "r-timeout" } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });
    await t.client.advanceClock("24h");
    const run = await t.client.waitForRun(id);
    expect(run.output).toEqual({ confirmed: null });
    // A late event does not resurrect anything.
    await t.client.send({ name: "test/confirmed", data: { requestId: "r-timeout" } });
    expect((await t.client.run(id)).steps.filter((s) => s.op === "WaitForEvent")).toHaveLength(1);
  });

  it("accepts a Date timeout", async () => {
    const deadline = new Date((await t.client.clock()).nowMs + 2 * 3_600_000).toISOString();
    const [eventId] = await t.client.send({ name: "test/request", data: { requestId: "r-date", deadline } });
    const { id } = await runOf(eventId!);
    const waiting = await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });
    expect(waiting.waitingFor.pauses[0]?.expiresAt).toBe(deadline);
    await t.client.advanceClock("1h");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await t.client.run(id)).status).toBe("running");
    await t.client.advanceClock("1h");
    expect((await t.client.waitForRun(id)).output).toEqual({ confirmed: null });
  });

  it("matches with an `if` expression comparing both events", async () => {
    const [eventId] = await t.client.send({ name: "test/bid-open", data: { item: "lamp", min: 10 } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });
    await t.client.send([
      { name: "test/bid", data: { item: "lamp", amount: 5 } },
      { name: "test/bid", data: { item: "sofa", amount: 50 } },
      { name: "test/bid", data: { item: "lamp" } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await t.client.run(id)).status).toBe("running");
    await t.client.send({ name: "test/bid", data: { item: "lamp", amount: 12 } });
    expect((await t.client.waitForRun(id)).output).toEqual({ item: "lamp", amount: 12 });
  });
});

describe("waitForEvent with fields the events lack (Inngest's answers)", () => {
  it("`!=` on a field the event lacks is true: the wait resumes", async () => {
    const [eventId] = await t.client.send({ name: "test/order-placed", data: { orderId: "o-1" } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });
    // Each send is ingested (and matched) before it returns: the first two must not resume the wait.
    await t.client.send({ name: "test/order-updated", data: { orderId: "o-1", status: "rejected" } });
    await t.client.send({ name: "test/order-updated", data: { orderId: "o-2" } });
    await t.client.send({ name: "test/order-updated", data: { orderId: "o-1", note: "no status yet" } });
    const run = await t.client.waitForRun(id);
    expect(run.output).toEqual({ orderId: "o-1", note: "no status yet" });
  });

  it("a null on the triggering event equals a missing field on the incoming one (the pause is not indexed)", async () => {
    const [eventId] = await t.client.send({ name: "test/ref-open", data: { ref: null } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });
    await t.client.send({ name: "test/ref-reply", data: { ref: "r-9" } });
    await t.client.send({ name: "test/ref-reply", data: { note: "no ref" } });
    expect((await t.client.waitForRun(id)).output).toEqual({ note: "no ref" });
  });
});

describe("step.sendEvent", () => {
  it("sends events through the event API and triggers other functions", async () => {
    const [eventId] = await t.client.send({ name: "test/send", data: { key: "k1" } });
    const { id } = await runOf(eventId!);
    const run = await t.client.waitForRun(id);
    expect(run.status).toBe("completed");
    const output = run.output as { ids: string[] };
    expect(output.ids).toHaveLength(1);
    expect(run.steps[0]).toMatchObject({ name: "notify", kind: "step.sendEvent" });
    const [notified] = await t.client.eventRuns(output.ids[0]!);
    expect((await t.client.waitForRun(notified!.id)).output).toEqual({ from: "k1" });
  });
});

describe("restart", () => {
  async function restart() {
    const port = t.engine.port;
    await t.engine.stop();
    t = await startTestEngine(schema, { port }, t.logs);
  }

  it("a run sleeping when the engine stops wakes up after a restart", async () => {
    const [eventId] = await t.client.send({ name: "test/sleep", data: { key: "restart-sleep" } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "sleep") });
    const offsetBefore = (await t.client.clock()).offsetMs;

    await restart();
    expect((await t.client.clock()).offsetMs).toBe(offsetBefore);
    expect((await t.client.run(id)).status).toBe("running");
    await t.client.advanceClock("1h");
    const run = await t.client.waitForRun(id);
    expect(run.status).toBe("completed");
    expect([counter.get("before:restart-sleep"), counter.get("after:restart-sleep")]).toEqual([1, 1]);
  });

  it("a run waiting for an event when the engine stops resumes after a restart", async () => {
    const [eventId] = await t.client.send({ name: "test/request", data: { requestId: "restart-wait" } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });

    await restart();
    await t.client.send({ name: "test/confirmed", data: { requestId: "restart-wait" } });
    const run = await t.client.waitForRun(id);
    expect(run.output).toEqual({ confirmed: { requestId: "restart-wait" } });
    expect(counter.get("before-wait:restart-wait")).toBe(1);
  });

  it("a wait timeout that falls due while the engine is down fires after the restart", async () => {
    const [eventId] = await t.client.send({ name: "test/request", data: { requestId: "restart-timeout" } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length > 0 });
    const port = t.engine.port;
    await t.engine.stop();
    // Time passes while no engine runs: the offset is moved in the database directly.
    const db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
    await db.query(`UPDATE ${schema}.clock SET offset_ms = offset_ms + 25 * 3600 * 1000`);
    await db.end();
    t = await startTestEngine(schema, { port }, t.logs);
    expect((await t.client.waitForRun(id)).output).toEqual({ confirmed: null });
  });
});
