import argon2 from "argon2";
import { afterEach, describe, expect, it, vi } from "vitest";
import { rules } from "@/lib/rules";
import { NO_META, type RequestMeta } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import { issueDeviceCookie } from "@/server/auth/device-cookie";
import * as password from "@/server/auth/password";
import { db } from "@/server/db";
import { auditActions, createUser, reloadUser, userRow, type TestUser } from "@/tests/support/factories";
import { publishedEvents } from "@/tests/support/events";
import { race, rejectionOf } from "@/tests/support/flows";

const check = (user: TestUser, pw: string, meta: RequestMeta = NO_META) => checkPassword({ user, password: pw, meta });
const wrong = (user: TestUser, meta: RequestMeta = NO_META) => check(user, "not-the-password", meta);
/** What a browser that signed in to this account before sends along. */
const deviceOf = (user: { id: string }): RequestMeta => ({ ...NO_META, deviceCookie: issueDeviceCookie(user.id) });
/** What WRONG_PASSWORD answers before the lock, in order: threshold - 1 down to 1. */
const COUNTDOWN = Array.from({ length: rules.lockoutThreshold - 1 }, (_, i) => rules.lockoutThreshold - 1 - i);

/** Counts the argon2 verifications (the expensive part every guess must not get for free). */
function countHashChecks() {
  return vi.spyOn(password, "passwordMatches");
}
afterEach(() => {
  vi.restoreAllMocks();
});

/** Asserts a LOCKED answer whose retry time is the rest of a lock of `ms` that started about now. */
function expectFreshLock(
  error: { code: string; retryAfter?: number; extra?: { lockedUntil?: string; retryAfterMs?: number } },
  ms = rules.lockoutDurationMs,
) {
  expect(error.code).toBe("LOCKED");
  expect(error.retryAfter).toBeGreaterThan(ms / 1000 - 10);
  expect(error.retryAfter).toBeLessThanOrEqual(ms / 1000);
  expect(error.extra!.retryAfterMs).toBeGreaterThan(ms - 10_000);
  expect(error.extra!.retryAfterMs).toBeLessThanOrEqual(ms);
  expect(Math.abs(new Date(error.extra!.lockedUntil!).getTime() - (Date.now() + ms))).toBeLessThan(10_000);
}

/** Locks the account for strangers (clients without the device cookie). */
async function lockForStrangers(user: TestUser) {
  for (let i = 0; i < rules.lockoutThreshold; i++) await wrong(user).catch(() => {});
}

describe("checkPassword", () => {
  it("accepts the right password", async () => {
    const user = await createUser();
    await expect(check(user, user.password)).resolves.toBeUndefined();
  });

  it(`counts down the attempts left, then locks for ${rules.lockoutDurationMs / 60_000} minutes on failure ${rules.lockoutThreshold}`, async () => {
    const user = await createUser();
    const attemptsLeft: number[] = [];
    for (let i = 1; i < rules.lockoutThreshold; i++) {
      const error = await rejectionOf(wrong(user));
      expect(error.code).toBe("WRONG_PASSWORD");
      expect(error.message).toMatch(/attempts? left/);
      attemptsLeft.push(error.extra!.attemptsLeft!);
    }
    expect(attemptsLeft).toEqual(COUNTDOWN);

    expectFreshLock(await rejectionOf(wrong(user)));

    const row = await userRow(user.id);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + rules.lockoutDurationMs - 10_000);
    expect(await auditActions(user.id)).toContain("auth.locked");
  });

  it("a locked account refuses even the right password, without checking it", async () => {
    const user = await createUser();
    await lockForStrangers(user);
    const checks = countHashChecks();

    expectFreshLock(await rejectionOf(check(await reloadUser(user), user.password)));
    expect(checks).not.toHaveBeenCalled();
  });

  it("the right password carried by a request that read the account before the lock is refused too", async () => {
    // The request loaded the user (no lock yet), then the lock landed, then it checks.
    const stale = await createUser();
    await lockForStrangers(stale);

    expectFreshLock(await rejectionOf(check(stale, stale.password)));
    expect((await userRow(stale.id)).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  });

  it("success resets the count", async () => {
    const user = await createUser();
    await wrong(user).catch(() => {});
    await wrong(user).catch(() => {});

    await check(user, user.password);

    expect((await userRow(user.id)).failedPasswordCount).toBe(0);
    await expect(wrong(user)).rejects.toMatchObject({ code: "WRONG_PASSWORD", extra: { attemptsLeft: rules.lockoutThreshold - 1 } });
  });

  it("after the lock ends the right password works, and a new lock takes the full count again", async () => {
    const user = await createUser();
    await lockForStrangers(user);
    await db.$executeRaw`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = ${user.id}::uuid`;

    await expect(wrong(user)).rejects.toMatchObject({ code: "WRONG_PASSWORD", extra: { attemptsLeft: rules.lockoutThreshold - 1 } });
    await expect(check(user, user.password)).resolves.toBeUndefined();
  });

  it(`30 wrong passwords at once cost at most ${rules.lockoutThreshold} password checks; the rest answer LOCKED at once`, async () => {
    const user = await createUser();
    const checks = countHashChecks();

    const { won, errors } = await race(30, () => wrong(user));

    expect(won).toEqual([]);
    expect(checks).toHaveBeenCalledTimes(rules.lockoutThreshold);
    const wrongAnswers = errors.filter((error) => error.code === "WRONG_PASSWORD") as unknown as { extra: { attemptsLeft: number } }[];
    const locked = errors.filter((error) => error.code === "LOCKED");
    // The checked guesses: the countdown, then the one that locked.
    expect(wrongAnswers.map((error) => error.extra.attemptsLeft).sort((a, b) => a - b)).toEqual([...COUNTDOWN].reverse());
    expect(locked).toHaveLength(30 - (rules.lockoutThreshold - 1));
    for (const error of locked) expectFreshLock(error as never);

    const row = await userRow(user.id);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + rules.lockoutDurationMs - 10_000);
    expect(row.lockedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + rules.lockoutDurationMs);
    expect((await auditActions(user.id)).filter((action) => action === "auth.locked")).toHaveLength(1);
  });

  it("the right password in a burst of wrong ones, after the lock landed: LOCKED, and nothing more is checked", async () => {
    const user = await createUser();
    await race(10, () => wrong(user));
    const checks = countHashChecks();

    const { won, codes } = await race(10, (i) => (i === 5 ? check(user, user.password) : wrong(user)));

    expect(won).toEqual([]);
    expect(new Set(codes)).toEqual(new Set(["LOCKED"]));
    expect(checks).not.toHaveBeenCalled();
  });

  it("answers UNAUTHENTICATED when the account no longer exists", async () => {
    const user = await createUser();
    await db.user.delete({ where: { id: user.id } });

    await expect(wrong(user)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("audits a failed re-authentication, and a failed sign-in as such", async () => {
    const user = await createUser();
    await wrong(user).catch(() => {});
    await checkPassword({ user, password: "not-it-either", meta: NO_META, purpose: "sign-in" }).catch(() => {});

    expect(await auditActions(user.id)).toEqual(["auth.reauth_failed", "auth.sign_in_failed"]);
  });
});

describe("lockout cannot be used as a weapon", () => {
  it("a browser that signed in before is not locked out by strangers' failures", async () => {
    const user = await createUser();
    await lockForStrangers(user);
    await expect(wrong(user)).rejects.toMatchObject({ code: "LOCKED" });

    await expect(check(user, user.password, deviceOf(user))).resolves.toBeUndefined();
    // Strangers stay locked out.
    await expect(check(user, user.password)).rejects.toMatchObject({ code: "LOCKED" });
  });

  it("device holders have their own count and lock", async () => {
    const user = await createUser();
    const device = deviceOf(user);
    await wrong(user).catch(() => {});

    await expect(wrong(user, device)).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
      extra: { attemptsLeft: rules.lockoutThreshold - 1 },
    });
    for (let i = 2; i < rules.lockoutThreshold; i++) await wrong(user, device).catch(() => {});
    expectFreshLock(await rejectionOf(wrong(user, device)));
    await expect(check(user, user.password, device)).rejects.toMatchObject({ code: "LOCKED" });
    // A stranger still has the rest of theirs.
    await expect(wrong(user)).rejects.toMatchObject({ code: "WRONG_PASSWORD", extra: { attemptsLeft: rules.lockoutThreshold - 2 } });
  });

  it("a device cookie of another account, or a tampered one, counts as a stranger", async () => {
    const user = await createUser();
    const other = await createUser();
    await lockForStrangers(user);
    const genuine = issueDeviceCookie(user.id);
    const tampered = genuine.slice(0, -2) + (genuine.endsWith("AA") ? "BB" : "AA");

    for (const deviceCookie of [issueDeviceCookie(other.id), tampered, "garbage", ""]) {
      await expect(check(user, user.password, { ...NO_META, deviceCookie })).rejects.toMatchObject({ code: "LOCKED" });
    }
  });

  it(`${rules.accountFailureCeiling} failures in an hour from anywhere lock the account for everyone, device holders too`, async () => {
    const user = await createUser();
    // Distributed guessing: each burst of strangers is locked out, then the
    // lock runs out (moved in the database) and the next burst comes.
    for (let failures = 0; failures < rules.accountFailureCeiling - 1; failures++) {
      await wrong(user).catch(() => {});
      if ((failures + 1) % rules.lockoutThreshold === 0) {
        await db.$executeRaw`UPDATE users SET locked_until = NULL WHERE id = ${user.id}::uuid`;
      }
    }
    // One below the ceiling, the owner's browser still gets in (and that is not a failure).
    await expect(check(user, user.password, deviceOf(user))).resolves.toBeUndefined();

    expectFreshLock(await rejectionOf(wrong(user)), rules.accountLockDurationMs);

    const checks = countHashChecks();
    await expect(check(user, user.password, deviceOf(user))).rejects.toMatchObject({ code: "LOCKED" });
    await expect(check(user, user.password)).rejects.toMatchObject({ code: "LOCKED" });
    expect(checks).not.toHaveBeenCalled();
  });

  it("failures older than the hour no longer count towards the ceiling", async () => {
    const user = await createUser();
    await db.$executeRaw`UPDATE users SET failures_in_window = ${rules.accountFailureCeiling - 1},
      failure_window_started_at = now() - interval '61 minutes' WHERE id = ${user.id}::uuid`;

    await expect(wrong(user)).rejects.toMatchObject({ code: "WRONG_PASSWORD" });
    expect((await userRow(user.id)).failuresInWindow).toBe(1);
  });

  it("a lock publishes one event, for the lock notice to the account holder", async () => {
    const user = await createUser({ email: true, verified: true });
    await lockForStrangers(user);

    const events = await publishedEvents({ name: "account/password.locked", userId: user.id });
    expect(events.map((event) => event.data)).toEqual([{ userId: user.id, scope: "strangers", lockedUntil: expect.any(String) }]);
  });
});

describe("password hashes follow the configured parameters", () => {
  it("a hash made with weaker parameters is upgraded on a successful check, and still matches", async () => {
    const user = await createUser();
    const weak = await argon2.hash(user.password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db.user.update({ where: { id: user.id }, data: { passwordHash: weak } });
    expect(password.needsRehash(weak)).toBe(true);

    await check(user, user.password);

    const upgraded = (await userRow(user.id)).passwordHash;
    expect(upgraded).not.toBe(weak);
    expect(password.needsRehash(upgraded)).toBe(false);
    const params = Object.fromEntries(
      upgraded
        .split("$")[3]!
        .split(",")
        .map((pair) => pair.split("=")),
    );
    expect(params).toEqual({
      m: String(rules.passwordHashing.memoryCost),
      t: String(rules.passwordHashing.timeCost),
      p: String(rules.passwordHashing.parallelism),
    });
    expect(await password.passwordMatches(upgraded, user.password)).toBe(true);
  });

  it("a wrong password leaves a weak hash alone", async () => {
    const user = await createUser();
    const weak = await argon2.hash(user.password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db.user.update({ where: { id: user.id }, data: { passwordHash: weak } });

    await wrong(user).catch(() => {});

    expect((await userRow(user.id)).passwordHash).toBe(weak);
  });
});
