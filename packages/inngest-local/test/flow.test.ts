// Parallel steps (both execution versions, race), invoke, cancelOn,
// idempotency, concurrency, cron, and options that are not enforced locally.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Counter, dropSchema, newSchema, sleep, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const schema = newSchema();
let t: TestEngine;
let app: TestApp;
const counter = new Counter();
let executing = 0;
let maxExecuting = 0;

beforeAll(async () => {
  // Not strict: the "throttled" function below checks the warning a non-strict engine logs instead.
  t = await startTestEngine(schema, { strict: false });
  app = await startApp("flow", t.engine.url, (inngest) => {
    const child = inngest.createFunction(
      { id: "child", retries: 0, triggers: [{ event: "test/child-direct" }] },
      async ({ event, step }) => {
        const doubled = await step.run("double", () => Number(event.data.n) * 2);
        if (event.data.fail) throw new Error(`child failed for ${event.data.n}`);
        if (event.data.slow) await step.sleep("slow", "2h");
        return { doubled };
      },
    );
    return [
      child,
      inngest.createFunction({ id: "fan-out", triggers: [{ event: "test/fan-out" }] }, async ({ event, step }) => {
        const key = String(event.data.key);
        const values = await Promise.all(
          [1, 2, 3].map((i) =>
            step.run(`part-${i}`, async () => {
              counter.hit(`${key}:part-${i}`);
              await sleep(20 * i);
              return i * 10;
            }),
          ),
        );
        const total = await step.run("sum", () => {
          counter.hit(`${key}:sum`);
          return values.reduce((a, b) => a + b, 0);
        });
        return { values, total };
      }),
      inngest.createFunction(
        { id: "fan-out-v1", optimizeParallelism: false, triggers: [{ event: "test/fan-out-v1" }] },
        async ({ step }) => {
          const values = await Promise.all(
            ["x", "y", "z"].map((id, i) =>
              step.run(id, async () => {
                counter.hit(`v1:${id}`);
                await sleep(10 * (3 - i));
                return id.toUpperCase();
              }),
            ),
          );
          const after = await step.run("after", () => counter.hit("v1:after"));
          return { values, after };
        },
      ),
      inngest.createFunction({ id: "parallel-mixed", triggers: [{ event: "test/parallel-mixed" }] }, async ({ step }) => {
        const [a, , b] = await Promise.all([
          step.run("quick", () => "quick"),
          step.sleep("short-nap", "10m"),
          step.waitForEvent("poke", { event: "test/poke", timeout: "1h" }),
        ]);
        return { a, poked: b !== null };
      }),
      inngest.createFunction({ id: "parallel-async", triggers: [{ event: "test/parallel-async" }] }, async ({ step }) => {
        const [, invoked, poke] = await Promise.all([
          step.sleep("nap", "10m"),
          step.invoke("call-child", { function: child, data: { n: 5 } }),
          step.waitForEvent("poke", { event: "test/poke-async", timeout: "1h" }),
        ]);
        return { invoked, poked: poke !== null };
      }),
      inngest.createFunction({ id: "race", triggers: [{ event: "test/race" }] }, async ({ step, group }) => {
        const winner = await group.parallel({ mode: "race" }, () =>
          Promise.race([
            step.run("fast", async () => {
              counter.hit("race:fast");
              return "fast";
            }),
            step.run("slow", async () => {
              counter.hit("race:slow");
              await sleep(300);
              return "slow";
            }),
          ]),
        );
        const next = await step.run("next", () => counter.hit("race:next"));
        return { winner, next };
      }),
      inngest.createFunction({ id: "race-overlap", triggers: [{ event: "test/race-overlap" }] }, async ({ step, group }) => {
        const winner = await group.parallel({ mode: "race" }, () =>
          Promise.race([
            step.run("quick", async () => "quick"),
            step.run("loser", async () => {
              await sleep(150);
              return "loser";
            }),
          ]),
        );
        // Still running when the loser finishes: a second discovery must not run it again.
        const next = await step.run("slow-next", async () => {
          counter.hit("race-overlap:next");
          await sleep(600);
          return "next";
        });
        return { winner, next };
      }),
      inngest.createFunction({ id: "double-wait", triggers: [{ event: "test/double-wait" }] }, async ({ step }) => {
        const [a, b] = await Promise.all([
          step.waitForEvent("w1", { event: "test/both", timeout: "1h" }),
          step.waitForEvent("w2", { event: "test/both", timeout: "1h" }),
        ]);
        await step.run("after-both", async () => {
          counter.hit("double-wait:after");
          await sleep(300);
        });
        return [a?.name, b?.name];
      }),
      inngest.createFunction({ id: "parent", retries: 0, triggers: [{ event: "test/parent" }] }, async ({ event, step }) => {
        try {
          const result = await step.invoke("call-child", { function: child, data: event.data, timeout: "1h" });
          return { ok: result };
        } catch (error) {
          return { failed: (error as Error).message, name: (error as Error).name };
        }
      }),
      inngest.createFunction(
        {
          id: "cancellable",
          triggers: [{ event: "test/start-job" }],
          cancelOn: [
            { event: "test/cancel-job", match: "data.jobId" },
            { event: "test/cancel-all", if: "async.data.reason == 'shutdown' && event.data.tier == async.data.tier", timeout: "2h" },
          ],
        },
        async ({ event, step }) => {
          await step.run("begin", () => counter.hit(`cancellable:begin:${event.data.jobId}`));
          await step.sleep("long", "1d");
          await step.run("end", () => counter.hit(`cancellable:end:${event.data.jobId}`));
          return "finished";
        },
      ),
      inngest.createFunction(
        { id: "idempotent", idempotency: "event.data.userId", triggers: [{ event: "test/signup" }] },
        async ({ event }) => {
          counter.hit(`idempotent:${event.data.userId}`);
          return event.data.userId;
        },
      ),
      inngest.createFunction({ id: "limited", concurrency: 1, triggers: [{ event: "test/limited" }] }, async ({ event, step }) => {
        for (const part of ["one", "two"]) {
          await step.run(part, async () => {
            executing++;
            maxExecuting = Math.max(maxExecuting, executing);
            await sleep(40);
            executing--;
            return `${event.data.n}:${part}`;
          });
        }
        return event.data.n;
      }),
      inngest.createFunction({ id: "nightly", triggers: [{ cron: "TZ=Europe/Paris 30 2 * * *" }] }, async ({ event }) => ({
        name: event.name,
        cron: event.data.cron,
      })),
      inngest.createFunction(
        { id: "throttled", throttle: { limit: 1, period: "1m" }, debounce: { period: "5s" }, triggers: [{ event: "test/throttled" }] },
        async () => "not enforced",
      ),
    ];
  });
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

describe("parallel steps", () => {
  it("fans out and in with optimized parallelism (version 2), each step once", async () => {
    const [eventId] = await t.client.send({ name: "test/fan-out", data: { key: "p1" } });
    const run = await t.client.waitForRun((await runOf(eventId!)).id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ values: [10, 20, 30], total: 60 });
    for (const part of ["part-1", "part-2", "part-3", "sum"]) expect(counter.get(`p1:${part}`)).toBe(1);
    expect(run.steps.map((s) => s.name).sort()).toEqual(["part-1", "part-2", "part-3", "sum"]);
    expect(run.steps[3]?.name).toBe("sum");
    // Fan-in: only the first discovery plans steps; the next one waits for all three and runs "sum".
    const planning = run.history.filter((h) => h.kind === "call.ops" && JSON.stringify(h.detail).includes("StepPlanned"));
    expect(planning).toHaveLength(1);
    expect(planning[0]?.detail).toEqual({ ops: ["StepPlanned", "StepPlanned", "StepPlanned"] });
  });

  it("runs legacy parallelism (version 1) without running a step twice", async () => {
    const [eventId] = await t.client.send({ name: "test/fan-out-v1" });
    const run = await t.client.waitForRun((await runOf(eventId!)).id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ values: ["X", "Y", "Z"], after: 1 });
    for (const id of ["x", "y", "z", "after"]) expect(counter.get(`v1:${id}`)).toBe(1);
  });

  it("mixes a step, a sleep and a wait in one Promise.all", async () => {
    const [eventId] = await t.client.send({ name: "test/parallel-mixed" });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length === 1 && r.waitingFor.jobs.some((j) => j.kind === "sleep") });
    await t.client.send({ name: "test/poke" });
    await t.client.waitForRun(id, { until: (r) => r.steps.length === 2 });
    expect((await t.client.run(id)).status).toBe("running");
    await t.client.advanceClock("10m");
    const run = await t.client.waitForRun(id);
    expect(run.output).toEqual({ a: "quick", poked: true });
  });

  it("waits, sleeps and invokes in one Promise.all without a planned step: each happens once", async () => {
    const [eventId] = await t.client.send({ name: "test/parallel-async" });
    const { id } = await runOf(eventId!);
    // The child finishes first; the SDK then re-reports the sleep and the wait, which must not be duplicated.
    await t.client.waitForRun(id, { until: (r) => r.steps.some((s) => s.op === "InvokeFunction") });
    await sleep(200);
    const children = (await t.client.runs({ function: "child", limit: 100 })).filter((c) => c.correlationId?.startsWith(id));
    expect(children).toHaveLength(1);
    const waiting = await t.client.run(id);
    expect(waiting.waitingFor.pauses).toHaveLength(1);
    expect(waiting.waitingFor.jobs.filter((j) => j.kind === "sleep")).toHaveLength(1);
    await t.client.send({ name: "test/poke-async" });
    await t.client.advanceClock("10m");
    const run = await t.client.waitForRun(id);
    expect(run.output).toEqual({ invoked: { doubled: 10 }, poked: true });
    expect((await t.client.runs({ function: "child", limit: 100 })).filter((c) => c.correlationId?.startsWith(id))).toHaveLength(1);
  });

  it("races steps: the first result wins and the run continues, nothing runs twice", async () => {
    const [eventId] = await t.client.send({ name: "test/race" });
    const run = await t.client.waitForRun((await runOf(eventId!)).id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ winner: "fast", next: 1 });
    expect(counter.get("race:fast")).toBe(1);
    expect(counter.get("race:next")).toBe(1);
    expect(counter.get("race:slow")).toBeLessThanOrEqual(1);
  });
});

describe("one discovery at a time", () => {
  it("two waits resumed by one event continue the run once", async () => {
    const [eventId] = await t.client.send({ name: "test/double-wait" });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.length === 2 });
    await t.client.send({ name: "test/both" });
    const run = await t.client.waitForRun(id);
    expect(run.output).toEqual(["test/both", "test/both"]);
    expect(counter.get("double-wait:after")).toBe(1);
  });
});

describe("race overlap", () => {
  it("does not run the step after a race twice when the loser finishes while it runs", async () => {
    const [eventId] = await t.client.send({ name: "test/race-overlap" });
    const run = await t.client.waitForRun((await runOf(eventId!)).id);
    expect(run.output).toEqual({ winner: "quick", next: "next" });
    expect(counter.get("race-overlap:next")).toBe(1);
  });
});

describe("step.invoke", () => {
  it("returns the invoked function's result", async () => {
    const [eventId] = await t.client.send({ name: "test/parent", data: { n: 21 } });
    const run = await t.client.waitForRun((await runOf(eventId!)).id);
    expect(run.output).toEqual({ ok: { doubled: 42 } });
    const children = await t.client.runs({ function: "child" });
    const invoked = children.find((c) => c.correlationId?.startsWith(run.id));
    expect(invoked?.status).toBe("completed");
    expect(invoked?.eventName).toBe("inngest/function.invoked");
  });

  it("throws the invoked function's error into the caller", async () => {
    const [eventId] = await t.client.send({ name: "test/parent", data: { n: 1, fail: true } });
    const run = await t.client.waitForRun((await runOf(eventId!)).id);
    expect(run.output).toMatchObject({ failed: expect.stringContaining("child failed for 1") });
  });

  it("times out on engine time", async () => {
    const [eventId] = await t.client.send({ name: "test/parent", data: { n: 2, slow: true } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.pauses.some((p) => p.kind === "invoke") });
    const children = await t.client.runs({ function: "child" });
    const child = children.find((c) => c.correlationId?.startsWith(id));
    await t.client.waitForRun(child!.id, { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "sleep") });
    await t.client.advanceClock("1h");
    const run = await t.client.waitForRun(id);
    expect(run.output).toMatchObject({ failed: expect.stringContaining("Timed out") });
  });
});

describe("cancelOn", () => {
  async function startJob(jobId: string, tier = "gold") {
    const [eventId] = await t.client.send({ name: "test/start-job", data: { jobId, tier } });
    const { id } = await runOf(eventId!);
    await t.client.waitForRun(id, { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "sleep") });
    return id;
  }

  it("cancels the run whose match key equals the cancelling event's", async () => {
    const target = await startJob("job-1");
    const bystander = await startJob("job-2");
    await t.client.send({ name: "test/cancel-job", data: { jobId: "job-1" } });
    const run = await t.client.waitForRun(target);
    expect(run.status).toBe("cancelled");
    expect((await t.client.run(bystander)).status).toBe("running");
    await t.client.advanceClock("1d");
    expect((await t.client.waitForRun(bystander)).status).toBe("completed");
    expect(counter.get("cancellable:end:job-1")).toBe(0);
    expect(counter.get("cancellable:end:job-2")).toBe(1);
    const cancelled = await t.client.events({ name: "inngest/function.cancelled" });
    expect(cancelled.some((e) => e.payload.data["run_id"] === target)).toBe(true);
  });

  it("cancels with an if expression", async () => {
    const gold = await startJob("job-3", "gold");
    const silver = await startJob("job-4", "silver");
    await t.client.send({ name: "test/cancel-all", data: { reason: "maintenance", tier: "gold" } });
    await t.client.send({ name: "test/cancel-all", data: { reason: "shutdown", tier: "gold" } });
    expect((await t.client.waitForRun(gold)).status).toBe("cancelled");
    expect((await t.client.run(silver)).status).toBe("running");
    await t.client.send({ name: "test/cancel-job", data: { jobId: "job-4" } });
    expect((await t.client.waitForRun(silver)).status).toBe("cancelled");
  });

  it("stops listening for a cancellation after its timeout", async () => {
    const id = await startJob("job-5", "gold");
    await t.client.advanceClock("3h"); // the cancel-all listener (2h) expired; the sleep (1d) has not
    await t.client.send({ name: "test/cancel-all", data: { reason: "shutdown", tier: "gold" } });
    await sleep(200);
    expect((await t.client.run(id)).status).toBe("running");
    await t.client.advanceClock("1d");
    expect((await t.client.waitForRun(id)).status).toBe("completed");
  });
});

describe("flow control", () => {
  it("starts one run per idempotency key within 24 hours", async () => {
    await t.client.send([
      { name: "test/signup", data: { userId: "u-1" } },
      { name: "test/signup", data: { userId: "u-1" } },
      { name: "test/signup", data: { userId: "u-2" } },
    ]);
    await expect.poll(async () => (await t.client.runs({ function: "idempotent", status: "completed" })).length).toBe(2);
    await sleep(100);
    expect((await t.client.runs({ function: "idempotent" })).length).toBe(2);
    expect(counter.get("idempotent:u-1")).toBe(1);
  });

  it("keeps to the function's concurrency limit", async () => {
    await t.client.send([1, 2, 3, 4].map((n) => ({ name: "test/limited", data: { n } })));
    await expect.poll(async () => (await t.client.runs({ function: "limited", status: "completed" })).length, { timeout: 15_000 }).toBe(4);
    expect(maxExecuting).toBe(1);
  });

  it("logs options it does not enforce, once per function", () => {
    const lines = t.logs.lines.filter((l) => l.includes("function=flow-throttled"));
    expect(lines.filter((l) => l.includes("throttle is not enforced locally"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("debounce is not enforced locally"))).toHaveLength(1);
  });
});

describe("cron", () => {
  it("schedules the next tick from engine time and fires it when the clock reaches it", async () => {
    // Earlier tests moved the clock by days: each move fired at most one tick.
    const { nowMs } = await t.client.clock();
    const runs = async () => t.client.runs({ function: "nightly" });
    const before = (await runs()).length;
    // 02:30 Paris time is at most 24h away.
    await t.client.advanceClock(24 * 3_600_000 + 60_000);
    await expect.poll(async () => (await runs()).length).toBe(before + 1);
    const run = await t.client.waitForRun((await runs())[0]!.id);
    expect(run.output).toEqual({ name: "inngest/scheduled.timer", cron: "TZ=Europe/Paris 30 2 * * *" });
    const parisTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(
      new Date(run.event.ts),
    );
    expect(parisTime).toBe("02:30");
    expect(run.event.ts).toBeGreaterThan(nowMs);
    await sleep(200);
    expect(await runs()).toHaveLength(before + 1); // one tick, not a backlog
  });
});
