// The inspector's words, without a database: which badge wins when a run does
// several things at once, how a typed data field becomes a path, and how a
// function's settings read.
import { describe, expect, it } from "vitest";
import { describeRunState, errorGroups, FilterError, functionSettings, parseDataKey, parseStatusFilter } from "../src/inspect";

const at = "2026-01-01T00:00:00.000Z";
const job = (kind: string, attempt = 0, running = false, stepName: string | null = null) => ({
  kind,
  stepId: "s",
  stepName,
  attempt,
  runAt: at,
  running,
});

describe("describeRunState", () => {
  it("an ended run is its status, with nothing more to say", () => {
    expect(describeRunState({ status: "failed", jobs: [job("call", 3)], pauses: [], maxAttempts: 5 })).toEqual({
      badge: "failed",
      details: [],
    });
  });

  it("a first call is queued, then running; a later attempt is retrying, even while it runs", () => {
    expect(describeRunState({ status: "running", jobs: [job("call")], pauses: [], maxAttempts: 5 }).badge).toBe("queued");
    expect(describeRunState({ status: "running", jobs: [job("call", 0, true)], pauses: [], maxAttempts: 5 }).badge).toBe("running");
    expect(describeRunState({ status: "running", jobs: [job("call", 2, true)], pauses: [], maxAttempts: 5 })).toEqual({
      badge: "retrying",
      details: ["retrying: attempt 3 of 5, running now"],
    });
  });

  it("parallel steps: every outstanding thing is listed, the retry wins the badge", () => {
    const state = describeRunState({
      status: "running",
      jobs: [job("sleep", 0, false, "nap"), job("call", 1)],
      pauses: [
        { kind: "wait", event: "app/x", expression: null, stepName: "w", expiresAt: at },
        { kind: "invoke", event: "inngest/function.finished", expression: null, stepName: "child", expiresAt: at },
      ],
      maxAttempts: 4,
      lastRetryError: { stepName: "pay", error: { name: "TypeError", message: "x is undefined" } },
    });
    expect(state.badge).toBe("retrying");
    expect(state.details).toEqual([
      `sleeping (step nap) until ${at}`,
      `retrying (step pay): attempt 2 of 4, next at ${at}, after TypeError: x is undefined`,
      `waiting for event app/x (step w) until ${at}`,
      `waiting for an invoked function (step child) until ${at}`,
    ]);
  });

  it("a wait or an invoke is waiting (as status=waiting filters), and beats sleeping", () => {
    const wait = { kind: "wait", event: "e", expression: null, stepName: null, expiresAt: at };
    const invoke = { ...wait, kind: "invoke" };
    expect(describeRunState({ status: "running", jobs: [job("sleep")], pauses: [invoke, wait], maxAttempts: 1 }).badge).toBe("waiting");
    expect(describeRunState({ status: "running", jobs: [job("sleep")], pauses: [invoke], maxAttempts: 1 })).toEqual({
      badge: "waiting",
      details: [`sleeping until ${at}`, `waiting for an invoked function until ${at}`],
    });
  });
});

describe("errorGroups", () => {
  it("groups by step and message, counts, keeps first and last seen and the latest stack; ignores the run outcome", () => {
    const entry = (kind: string, attempt: number, message: string, time: string, stack?: string) => ({
      kind,
      at: time,
      stepName: "pay",
      attempt,
      detail: { error: { name: "Error", message, stack } },
    });
    const groups = errorGroups([
      entry("step.error.retrying", 0, "down", "t1", "s1"),
      entry("step.error.retrying", 1, "down", "t2", "s2"),
      entry("step.failed", 2, "gone", "t3"),
      { kind: "run.failed", at: "t4", stepName: null, attempt: null, detail: { error: { message: "gone" } } },
    ]);
    expect(groups).toEqual([
      { step: "pay", title: "Error: down", count: 2, firstAt: "t1", lastAt: "t2", attempts: [1, 2], stack: "s2", final: false },
      { step: "pay", title: "Error: gone", count: 1, firstAt: "t3", lastAt: "t3", attempts: [3], stack: undefined, final: true },
    ]);
  });
});

describe("filters", () => {
  it("reads a data field under data, however it is typed", () => {
    expect(parseDataKey("requestId")).toEqual(["data", "requestId"]);
    expect(parseDataKey(" data.user.id ")).toEqual(["data", "user", "id"]);
    expect(parseDataKey("event.data.x")).toEqual(["data", "x"]);
    for (const bad of ["", ".", "a..b", "a.", "data."]) expect(() => parseDataKey(bad)).toThrow(FilterError);
    expect(() => parseDataKey(Array.from({ length: 11 }, () => "a").join("."))).toThrow(/at most 10/);
  });

  it("takes a status or a running state, in any case", () => {
    expect(parseStatusFilter("Retrying")).toBe("retrying");
    expect(parseStatusFilter(undefined)).toBeUndefined();
    expect(() => parseStatusFilter("done")).toThrow(/unknown status "done"/);
  });
});

describe("functionSettings", () => {
  it("says none and the default when a function sets nothing", () => {
    expect(functionSettings({ id: "f", triggers: [{ event: "a/b" }] })).toEqual([
      { label: "Triggers", values: ["event a/b"] },
      { label: "Retries", values: ["4 retries (5 attempts), the default"] },
      { label: "Cancel", values: ["none"] },
    ]);
  });

  it("lists several concurrency limits, one per line, and marks what is not enforced", () => {
    const settings = functionSettings({
      id: "f",
      concurrency: [{ limit: 1, key: "event.data.a", scope: "env" }, { limit: 5 }],
      singleton: { key: "event.data.a", mode: "skip" },
      steps: { step: { retries: { attempts: 0 } } },
    });
    expect(settings.find((s) => s.label === "Retries")!.values).toEqual(["0 retries (1 attempt)"]);
    expect(settings.find((s) => s.label === "Concurrency")).toEqual({
      label: "Concurrency",
      values: ["limit=1, key=event.data.a, scope=env", "limit=5"],
      notEnforced: false,
    });
    expect(settings.find((s) => s.label === "Singleton")).toMatchObject({ values: ["key=event.data.a, mode=skip"], notEnforced: true });
  });
});
