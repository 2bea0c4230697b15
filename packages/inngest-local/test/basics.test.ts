// Sync, the event API, step.run, retries, NonRetriableError, RetryAfterError,
// final-attempt semantics, onFailure, event-id dedupe, `if` triggers, logs.
import { NonRetriableError, RetryAfterError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Counter, dropSchema, newSchema, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const schema = newSchema();
let t: TestEngine;
let app: TestApp;
const counter = new Counter();
const attempts: Record<string, number[]> = {};
const failures: Array<{ functionId: unknown; message: string }> = [];

beforeAll(async () => {
  t = await startTestEngine(schema);
  app = await startApp("basics", t.engine.url, (inngest) => [
    inngest.createFunction({ id: "sequence", triggers: [{ event: "test/sequence" }] }, async ({ event, step }) => {
      const a = await step.run("a", () => {
        counter.hit(`a:${event.data.n}`);
        return { value: Number(event.data.n) + 1 };
      });
      const b = await step.run("b", () => {
        counter.hit(`b:${event.data.n}`);
        return a.value * 2;
      });
      const c = await step.run("c", () => {
        counter.hit(`c:${event.data.n}`);
        return `${b}!`;
      });
      return { a, b, c };
    }),
    inngest.createFunction({ id: "flaky", retries: 3, triggers: [{ event: "test/flaky" }] }, async ({ step, attempt }) => {
      return step.run("sometimes", () => {
        (attempts["flaky"] ??= []).push(attempt);
        if (counter.hit("flaky") < 3) throw new Error("not yet");
        return "ok";
      });
    }),
    inngest.createFunction({ id: "non-retriable", retries: 5, triggers: [{ event: "test/non-retriable" }] }, async ({ step }) => {
      await step.run("refuse", () => {
        counter.hit("non-retriable");
        throw new NonRetriableError("never retry this");
      });
      return "unreachable";
    }),
    inngest.createFunction({ id: "always-fails", retries: 1, triggers: [{ event: "test/always-fails" }] }, async ({ step, attempt }) => {
      await step.run("boom", () => {
        (attempts["always-fails"] ??= []).push(attempt);
        throw new Error("boom");
      });
      return "unreachable";
    }),
    inngest.createFunction(
      {
        id: "fn-level",
        retries: 2,
        triggers: [{ event: "test/fn-level" }],
        onFailure: async ({ error, event }: { error: Error; event: { data: Record<string, unknown> } }) => {
          failures.push({ functionId: event.data.function_id, message: error.message });
          return "handled";
        },
      },
      async ({ attempt }) => {
        (attempts["fn-level"] ??= []).push(attempt);
        throw new Error("function body failed");
      },
    ),
    inngest.createFunction({ id: "caught", retries: 0, triggers: [{ event: "test/caught" }] }, async ({ step }) => {
      try {
        await step.run("throws", () => {
          throw new Error("inner");
        });
      } catch (error) {
        return await step.run("recover", () => `recovered from ${(error as Error).message}`);
      }
      return "unreachable";
    }),
    inngest.createFunction({ id: "retry-after", retries: 2, triggers: [{ event: "test/retry-after" }] }, async ({ step }) => {
      return step.run("later", () => {
        if (counter.hit("retry-after") === 1) throw new RetryAfterError("come back in an hour", "1h");
        return "retried";
      });
    }),
    inngest.createFunction(
      { id: "big-orders", triggers: [{ event: "test/order", if: "event.data.amount > 100 && event.data.currency == 'EUR'" }] },
      async ({ event }) => ({ amount: event.data.amount }),
    ),
    inngest.createFunction({ id: "secret-reader", triggers: [{ event: "test/secret" }] }, async ({ event, step }) => {
      await step.run("use-token", () => String(event.data.token).length);
      return "done";
    }),
  ]);
  const [result] = await t.engine.sync(app.url);
  expect(result?.ok).toBe(true);
});

afterAll(async () => {
  await app?.close();
  await t?.engine.stop();
  await dropSchema(schema);
});

describe("sync", () => {
  it("registers the app's functions in-band with composite ids and failure handlers", async () => {
    const response = await fetch(`${t.engine.url}/api/functions`);
    const body = (await response.json()) as { functions: Array<{ id: string; slug: string }>; apps: Array<{ id: string; url: string }> };
    const ids = body.functions.map((f) => f.id);
    expect(ids).toContain("basics-sequence");
    expect(ids).toContain("basics-fn-level-failure");
    expect(body.functions.find((f) => f.id === "basics-sequence")?.slug).toBe("sequence");
    expect(body.apps).toEqual([expect.objectContaining({ id: "basics", url: app.url })]);
  });

  it("accepts out-of-band registration when the app is PUT without the in-band header", async () => {
    const other = await startApp("oob-app", t.engine.url, (inngest) => [
      inngest.createFunction({ id: "hello", triggers: [{ event: "test/oob" }] }, async () => "hi"),
    ]);
    try {
      t.engine.allowApp(other.url);
      const response = await fetch(other.url, { method: "PUT" });
      expect(response.status).toBe(200);
      const functions = (await t.client.runs({ function: "oob-app-hello" })).length;
      expect(functions).toBe(0);
      await t.client.send({ name: "test/oob" });
      const run = await t.client.waitForRun({ function: "oob-app-hello" });
      expect(run.status).toBe("completed");
      expect(run.output).toBe("hi");
    } finally {
      await other.close();
    }
  });
});

describe("event API", () => {
  it("answers with ids and status 200 in the body", async () => {
    const response = await fetch(`${t.engine.url}/e/some-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ name: "test/nothing", data: { a: 1 } }, { name: "test/nothing" }]),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ids: string[]; status: number };
    expect(body.status).toBe(200);
    expect(body.ids).toHaveLength(2);
    expect(body.ids[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const events = await t.client.events({ name: "test/nothing" });
    expect(events.map((e) => e.id).sort()).toEqual([...body.ids].sort());
    expect(events[0]?.payload.user).toEqual({});
  });

  it("rejects malformed events with status 400 in the body", async () => {
    const response = await fetch(`${t.engine.url}/e/key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ data: {} }]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, ids: [] });
  });

  it("inngest.send() works against it", async () => {
    const { ids } = await app.inngest.send({ name: "test/nothing", data: { via: "sdk" } });
    expect(ids).toHaveLength(1);
  });

  it("ignores a repeated event id within 24 hours, and accepts it again after", async () => {
    const event = { name: "test/sequence", id: "order-dedupe-1", data: { n: 100 } };
    await app.inngest.send(event);
    await app.inngest.send(event);
    await t.client.waitForRun({ function: "sequence", event: "test/sequence" });
    const runs = async () =>
      (await t.client.runs({ function: "sequence" })).filter((r) => r.output && (r.output as { a: { value: number } }).a.value === 101);
    await expect.poll(async () => (await runs()).length).toBe(1);
    const events = await t.client.events({ name: "test/sequence" });
    expect(
      events
        .filter((e) => e.eventId === "order-dedupe-1")
        .map((e) => e.deduplicated)
        .sort(),
    ).toEqual([false, true]);

    await t.client.advanceClock("25h");
    await app.inngest.send(event);
    await expect.poll(async () => (await runs()).length, { timeout: 10_000 }).toBe(2);
  });
});

describe("step.run", () => {
  it("runs sequential steps once each and memoizes their results", async () => {
    const [eventId] = await t.client.send({ name: "test/sequence", data: { n: 1 } });
    const [summary] = await t.client.eventRuns(eventId!);
    const run = await t.client.waitForRun(summary!.id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ a: { value: 2 }, b: 4, c: "4!" });
    expect(run.steps.map((s) => [s.name, s.output])).toEqual([
      ["a", { value: 2 }],
      ["b", 4],
      ["c", "4!"],
    ]);
    expect([counter.get("a:1"), counter.get("b:1"), counter.get("c:1")]).toEqual([1, 1, 1]);
  });

  it("retries a failing step with backoff until it succeeds", async () => {
    await t.client.send({ name: "test/flaky" });
    const run = await t.client.waitForRun({ function: "flaky" });
    expect(run.status).toBe("completed");
    expect(run.output).toBe("ok");
    expect(attempts["flaky"]).toEqual([0, 1, 2]);
    expect(run.history.filter((h) => h.kind === "step.error.retrying")).toHaveLength(2);
  });

  it("does not retry a NonRetriableError and fails the run", async () => {
    await t.client.send({ name: "test/non-retriable" });
    const run = await t.client.waitForRun({ function: "non-retriable" });
    expect(run.status).toBe("failed");
    expect(counter.get("non-retriable")).toBe(1);
    expect(run.error).toMatchObject({ message: expect.stringContaining("never retry this") });
  });

  it("gives up after retries + 1 attempts, the last one final", async () => {
    await t.client.send({ name: "test/always-fails" });
    const run = await t.client.waitForRun({ function: "always-fails" });
    expect(run.status).toBe("failed");
    expect(attempts["always-fails"]).toEqual([0, 1]);
    expect(run.steps[0]?.error).toMatchObject({ message: "boom" });
  });

  it("lets user code catch a failed step", async () => {
    await t.client.send({ name: "test/caught" });
    const run = await t.client.waitForRun({ function: "caught" });
    expect(run.status).toBe("completed");
    expect(run.output).toBe("recovered from inner");
  });

  it("honours RetryAfterError on engine time", async () => {
    await t.client.send({ name: "test/retry-after" });
    const running = await t.client.waitForRun(
      { function: "retry-after" },
      { until: (r) => r.history.some((h) => h.kind === "step.error.retrying") },
    );
    expect(running.status).toBe("running");
    const due = running.waitingFor.jobs[0]!;
    expect(Date.parse(due.runAt) - (await t.client.clock()).nowMs).toBeGreaterThan(50 * 60_000);
    await t.client.advanceClock("1h");
    const run = await t.client.waitForRun(running.id);
    expect(run.status).toBe("completed");
    expect(run.output).toBe("retried");
    expect(counter.get("retry-after")).toBe(2);
  });
});

describe("failures", () => {
  it("retries a function-level error, then fails and runs onFailure", async () => {
    await t.client.send({ name: "test/fn-level" });
    const run = await t.client.waitForRun({ function: "fn-level" });
    expect(run.status).toBe("failed");
    expect(attempts["fn-level"]).toEqual([0, 1, 2]);
    const failure = await t.client.waitForRun({ function: "fn-level-failure" });
    expect(failure.status).toBe("completed");
    expect(failure.output).toBe("handled");
    expect(failures).toEqual([{ functionId: "basics-fn-level", message: "function body failed" }]);
    const finished = await t.client.events({ name: "inngest/function.finished" });
    expect(finished.some((e) => e.payload.data["run_id"] === run.id && e.payload.data["error"])).toBe(true);
  });
});

describe("triggers", () => {
  it("starts a run only when the trigger's if expression holds", async () => {
    const ids = await t.client.send([
      { name: "test/order", data: { amount: 50, currency: "EUR" } },
      { name: "test/order", data: { amount: 500, currency: "EUR" } },
      { name: "test/order", data: { amount: 500, currency: "USD" } },
      { name: "test/order", data: { currency: "EUR" } },
    ]);
    const run = await t.client.waitForRun({ function: "big-orders" });
    expect(run.output).toEqual({ amount: 500 });
    const perEvent = await Promise.all(ids.map((id) => t.client.eventRuns(id)));
    expect(perEvent.map((runs) => runs.length)).toEqual([0, 1, 0, 0]);
  });
});

describe("logs", () => {
  it("logs events and runs by name and id, never payload data", async () => {
    const [eventId] = await t.client.send({ name: "test/secret", data: { token: "SECRET-TOKEN-123" } });
    const [summary] = await t.client.eventRuns(eventId!);
    await t.client.waitForRun(summary!.id);
    const text = t.logs.text();
    expect(text).toContain(`event received name=test/secret id=${eventId}`);
    expect(text).toContain(`run completed run=${summary!.id}`);
    expect(text).toContain("app synced app=basics");
    expect(text).not.toContain("SECRET-TOKEN-123");
  });
});
