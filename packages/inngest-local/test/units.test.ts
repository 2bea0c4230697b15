// Pure helpers: durations, expressions and match keys, cron, ids.
import { describe, expect, it } from "vitest";
import { nextCronTime, splitCron } from "../src/cron";
import { parseDurationMs, resolveTime } from "../src/duration";
import { evaluateKey, extractMatchKey, indexValue, matches } from "../src/expressions";
import { seededUlid, ulid } from "../src/ids";
import { createLogger, maskAddresses } from "../src/log";

describe("durations", () => {
  it("parses the SDK's time strings and ms-style words", () => {
    expect(parseDurationMs("30s")).toBe(30_000);
    expect(parseDurationMs("1h30m")).toBe(5_400_000);
    expect(parseDurationMs("1w2d")).toBe(9 * 86_400_000);
    expect(parseDurationMs("24h")).toBe(86_400_000);
    expect(parseDurationMs("2 hours")).toBe(7_200_000);
    expect(parseDurationMs(1500)).toBe(1500);
    expect(parseDurationMs("soon")).toBeUndefined();
    expect(parseDurationMs("5 parsecs")).toBeUndefined();
    expect(parseDurationMs("")).toBeUndefined();
  });

  it("resolves durations against engine time and ISO dates as absolute", () => {
    expect(resolveTime("1m", 1_000)).toBe(61_000);
    expect(resolveTime("2030-01-01T00:00:00.000Z", 0)).toBe(Date.UTC(2030, 0, 1));
    expect(resolveTime(undefined, 0)).toBeUndefined();
  });
});

describe("expressions", () => {
  const event = { name: "a", data: { id: "x", amount: 150, nested: { ok: true } } };

  it("evaluates CEL and treats errors as no match", () => {
    expect(matches("event.data.amount > 100 && event.data.id == 'x'", { event })).toBe(true);
    expect(matches("event.data.missing == 'x'", { event })).toBe(false);
    expect(matches("event.data.", { event })).toBe(false);
    expect(matches(undefined, { event })).toBe(true);
    expect(matches("event.data.id", { event })).toBe(false); // not a boolean
  });

  it("evaluates key expressions to strings", () => {
    expect(evaluateKey("event.data.id", { event })).toBe("x");
    expect(evaluateKey("event.data.amount", { event })).toBe("150");
    expect(evaluateKey("event.data.missing", { event })).toBeUndefined();
  });

  it("finds the indexable equality of a wait or cancel expression", () => {
    expect(extractMatchKey("event.data.requestId == async.data.requestId")).toEqual({
      path: "data.requestId",
      source: "event",
      eventPath: "data.requestId",
    });
    expect(extractMatchKey("async.data.ok == true && async.data.user.id == event.data.userId")).toEqual({
      path: "data.ok",
      source: "literal",
      value: "true",
    });
    expect(extractMatchKey("async.data.n > 3 && event.data.k == async.data.k")).toMatchObject({ path: "data.k", eventPath: "data.k" });
    expect(extractMatchKey("async.data.n > 3 || event.data.k == async.data.k")).toBeUndefined();
    expect(extractMatchKey("async.data.n > 3")).toBeUndefined();
    expect(extractMatchKey(null)).toBeUndefined();
  });

  it("indexes only scalars", () => {
    expect(indexValue("a")).toBe('"a"');
    expect(indexValue(1)).toBe("1");
    expect(indexValue(true)).toBe("true");
    expect(indexValue(null)).toBeUndefined();
    expect(indexValue({ a: 1 })).toBeUndefined();
  });
});

describe("cron", () => {
  it("splits a TZ= prefix and computes the next tick in that zone", () => {
    expect(splitCron("TZ=Europe/Paris 0 9 * * 1-5")).toEqual({ expression: "0 9 * * 1-5", tz: "Europe/Paris" });
    expect(splitCron("*/5 * * * *")).toEqual({ expression: "*/5 * * * *" });
    const from = Date.UTC(2026, 0, 5, 7, 0); // Monday 08:00 in Paris (UTC+1)
    expect(new Date(nextCronTime("TZ=Europe/Paris 0 9 * * 1-5", from)).toISOString()).toBe("2026-01-05T08:00:00.000Z");
    expect(nextCronTime("*/5 * * * *", Date.UTC(2026, 0, 1, 0, 1))).toBe(Date.UTC(2026, 0, 1, 0, 5));
    expect(nextCronTime("@hourly", Date.UTC(2026, 0, 1, 0, 1))).toBe(Date.UTC(2026, 0, 1, 1, 0));
    expect(() => nextCronTime("* * *", 0)).toThrow();
  });
});

describe("ids", () => {
  it("makes ULIDs, stable when derived from the SDK's event id seed", () => {
    expect(ulid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ulid(0).slice(0, 10)).toBe("0000000000");
    const seed = "1700000000000,q83vEjRWeJq8";
    expect(seededUlid(seed, 0)).toBe(seededUlid(seed, 0));
    expect(seededUlid(seed, 0)).not.toBe(seededUlid(seed, 1));
    expect(seededUlid(seed, 0)!.slice(0, 10)).toBe(ulid(1_700_000_000_000).slice(0, 10));
    expect(seededUlid("garbage", 0)).toBeUndefined();
  });
});

describe("log lines", () => {
  it("mask every address in the message and the fields, however the app's error wrote it", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    log.warn("step failed for ram.thapa@example.com", {
      error: "550 <ram.thapa@example.com>: mailbox unavailable; cc sita@mail.example.org",
    });
    expect(lines[0]).toContain("r***@example.com");
    expect(lines[0]).toContain("s***@mail.example.org");
    expect(lines[0]).not.toMatch(/ram\.thapa@|sita@/);
    expect(maskAddresses("no address here, only a@b")).toBe("no address here, only a@b");
  });
});
