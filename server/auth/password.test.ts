import argon2 from "argon2";
import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { createWorkLimit, hashPassword, needsRehash, passwordMatches, passwordWork } from "@/server/auth/password";
import { isAppError } from "@/server/errors";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("createWorkLimit", () => {
  it("runs at most `size` jobs at once and refuses the rest at once with 503 and a Retry-After", async () => {
    const limit = createWorkLimit(2);
    const gate = deferred();
    const started: number[] = [];
    const runs = [1, 2, 3, 4].map((n) => limit.run(async () => (started.push(n), await gate.promise, n)).catch((error: unknown) => error));
    expect(limit.inFlight).toBe(2);
    // The refusals settle before the held jobs finish: nobody waits in a queue.
    const refused = await Promise.race([Promise.all(runs.slice(2)), gate.promise.then(() => "queued")]);
    expect(refused).not.toBe("queued");
    for (const error of refused as unknown[]) {
      expect(isAppError(error) && error.code).toBe("SERVICE_UNAVAILABLE");
      expect(isAppError(error) && error.status).toBe(503);
      expect(isAppError(error) && error.retryAfter).toBeGreaterThan(0);
    }
    expect(started).toEqual([1, 2]);
    gate.resolve();
    expect(await Promise.all(runs.slice(0, 2))).toEqual([1, 2]);
    expect(limit.inFlight).toBe(0);
  });

  it("frees the slot when the job fails", async () => {
    const limit = createWorkLimit(1);
    await expect(limit.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit.run(async () => "ok")).resolves.toBe("ok");
  });
});

describe("password hashing under load", () => {
  it(`computes at most ${rules.maxConcurrentPasswordHashes} argon2 hashes at once; the rest answer 503 without hashing`, async () => {
    const extra = 5;
    const results = await Promise.allSettled(
      Array.from({ length: rules.maxConcurrentPasswordHashes + extra }, () => hashPassword("load-test-password-1")),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(rules.maxConcurrentPasswordHashes);
    expect(refused).toHaveLength(extra);
    for (const r of refused) expect(isAppError(r.reason) && r.reason.code).toBe("SERVICE_UNAVAILABLE");
    expect(passwordWork.inFlight).toBe(0);
  });

  it("a saturated check is a 503, never a wrong password (it must not count towards a lock)", async () => {
    const hash = await hashPassword("right-password-1");
    const checks = await Promise.allSettled(
      Array.from({ length: rules.maxConcurrentPasswordHashes + 3 }, () => passwordMatches(hash, "right-password-1")),
    );
    expect(checks.filter((r) => r.status === "fulfilled" && r.value === true)).toHaveLength(rules.maxConcurrentPasswordHashes);
    expect(checks.filter((r) => r.status === "fulfilled" && r.value === false)).toHaveLength(0);
    expect(checks.filter((r) => r.status === "rejected")).toHaveLength(3);
  });
});

describe("needsRehash", () => {
  it("is false for a hash made with today's parameters", async () => {
    expect(needsRehash(await hashPassword("correct-horse-42"))).toBe(false);
  });

  it.each<[string, { memoryCost?: number; timeCost?: number; parallelism?: number; type?: 0 | 1 | 2 }]>([
    ["less memory", { memoryCost: 4096 }],
    ["fewer passes", { timeCost: 1 }],
    ["more lanes", { parallelism: 2 }],
    ["argon2i", { type: argon2.argon2i }],
  ])("is true for a hash with %s", async (_name, change) => {
    const hash = await argon2.hash("correct-horse-42", { type: argon2.argon2id, ...rules.passwordHashing, ...change });
    expect(needsRehash(hash)).toBe(true);
  });

  it("is true for anything that is not an argon2id hash", () => {
    expect(needsRehash("$2b$10$abcdefghijklmnopqrstuv")).toBe(true);
    expect(needsRehash("")).toBe(true);
  });
});
