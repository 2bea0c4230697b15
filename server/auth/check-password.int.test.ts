import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { assertNotLocked, checkPassword } from "@/server/auth/check-password";
import { db } from "@/server/db";
import { auditActions, createUser, reloadUser, userRow, type TestUser } from "@/tests/support/factories";
import { race, rejectionOf } from "@/tests/support/flows";

const LOCK_SECONDS = rules.lockoutDurationMs / 1000;
const check = (user: TestUser, password: string) => checkPassword({ user, password, meta: NO_META });
const wrong = (user: TestUser) => check(user, "not-the-password");
/** What WRONG_PASSWORD answers before the lock, in order: threshold - 1 down to 1. */
const COUNTDOWN = Array.from({ length: rules.lockoutThreshold - 1 }, (_, i) => rules.lockoutThreshold - 1 - i);

/** Asserts a LOCKED answer whose retry time is the rest of a lock that started about now. */
function expectFreshLock(error: { code: string; retryAfter?: number; extra?: { lockedUntil?: string } }) {
  expect(error.code).toBe("LOCKED");
  expect(error.retryAfter).toBeGreaterThan(LOCK_SECONDS - 10);
  expect(error.retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);
  expect(Math.abs(new Date(error.extra!.lockedUntil!).getTime() - (Date.now() + rules.lockoutDurationMs))).toBeLessThan(10_000);
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
      const error = await rejectionOf(wrong(await reloadUser(user)));
      expect(error.code).toBe("WRONG_PASSWORD");
      expect(error.message).toMatch(/attempts? left/);
      attemptsLeft.push(error.extra!.attemptsLeft!);
    }
    expect(attemptsLeft).toEqual(COUNTDOWN);

    expectFreshLock(await rejectionOf(wrong(await reloadUser(user))));

    const row = await userRow(user.id);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + rules.lockoutDurationMs - 10_000);
    expect(await auditActions(user.id)).toContain("auth.locked");
  });

  it("a locked account refuses even the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < rules.lockoutThreshold; i++) await wrong(await reloadUser(user)).catch(() => {});

    expectFreshLock(await rejectionOf(check(await reloadUser(user), user.password)));
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
    for (let i = 0; i < rules.lockoutThreshold; i++) await wrong(await reloadUser(user)).catch(() => {});
    await db.$executeRaw`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = ${user.id}::uuid`;

    await expect(wrong(await reloadUser(user))).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
      extra: { attemptsLeft: rules.lockoutThreshold - 1 },
    });
    await expect(check(await reloadUser(user), user.password)).resolves.toBeUndefined();
  });

  it(`${rules.lockoutThreshold * 3} wrong passwords at once: never more than ${rules.lockoutThreshold} failures before the lock, and the account ends locked`, async () => {
    const user = await createUser();
    const guesses = rules.lockoutThreshold * 3;

    // Every guess carries the user as read before any of them landed (parallel requests).
    const { won, errors } = await race(guesses, () => wrong(user));

    expect(won).toEqual([]);
    const wrongAnswers = errors.filter((error) => error.code === "WRONG_PASSWORD") as unknown as { extra: { attemptsLeft: number } }[];
    const locked = errors.filter((error) => error.code === "LOCKED");
    expect(wrongAnswers.map((error) => error.extra.attemptsLeft).sort((a, b) => a - b)).toEqual([...COUNTDOWN].reverse());
    expect(locked).toHaveLength(guesses - (rules.lockoutThreshold - 1));
    for (const error of locked) expect((error as unknown as { retryAfter: number }).retryAfter).toBeGreaterThan(LOCK_SECONDS - 10);

    const row = await userRow(user.id);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + rules.lockoutDurationMs - 10_000);
    expect(row.lockedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + rules.lockoutDurationMs);
    // The lock holds against the right password, read fresh.
    await expect(check(await reloadUser(user), user.password)).rejects.toMatchObject({ code: "LOCKED" });
  });

  it("answers UNAUTHENTICATED when the account no longer exists", async () => {
    const user = await createUser();
    await db.user.delete({ where: { id: user.id } });

    await expect(wrong(user)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("assertNotLocked", () => {
  it("passes without a lock or after it ended", () => {
    expect(() => assertNotLocked(null)).not.toThrow();
    expect(() => assertNotLocked(new Date(Date.now() - 1000))).not.toThrow();
  });

  it("refuses during a lock, with the seconds left rounded up and the end time", async () => {
    const until = new Date(Date.now() + 90_500);
    const error = await rejectionOf((async () => assertNotLocked(until))());
    expect(error).toMatchObject({ code: "LOCKED", retryAfter: 91, extra: { lockedUntil: until.toISOString() } });
    expect(error.message).toMatch(/2 minutes/);
  });
});
