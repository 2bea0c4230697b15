// Re-authentication on POST /api/account/email (UC03) goes through the same
// reserved password check as sign-in (server/auth/check-password.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import * as password from "@/server/auth/password";
import { startEmailRequest } from "@/server/email-requests/start-email-request";
import { auditActions, createVerifiedUser, requestsOf, uniqueEmail, type TestUser } from "@/tests/support/factories";
import { race, rejectionOf } from "@/tests/support/flows";

const start = (user: TestUser, pw: string) => startEmailRequest({ user, email: uniqueEmail(), password: pw, meta: NO_META });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("re-authentication when asking for an email change", () => {
  it(`30 wrong passwords at once cost at most ${rules.lockoutThreshold} password checks and start nothing`, async () => {
    const user = await createVerifiedUser();
    const checks = vi.spyOn(password, "passwordMatches");

    const { won, codes } = await race(30, () => start(user, "not-the-password"));

    expect(won).toEqual([]);
    expect(checks).toHaveBeenCalledTimes(rules.lockoutThreshold);
    expect(codes.filter((code) => code === "WRONG_PASSWORD")).toHaveLength(rules.lockoutThreshold - 1);
    expect(codes.filter((code) => code === "LOCKED")).toHaveLength(30 - (rules.lockoutThreshold - 1));
    expect(await requestsOf(user.id)).toEqual([]);
  });

  it("the right password from a session that loaded the account before the lock: LOCKED, no request", async () => {
    const user = await createVerifiedUser();
    for (let i = 0; i < rules.lockoutThreshold; i++) await start(user, "not-the-password").catch(() => {});

    const error = await rejectionOf(start(user, user.password));

    expect(error.code).toBe("LOCKED");
    expect(error.extra!.retryAfterMs).toBeGreaterThan(rules.lockoutDurationMs - 10_000);
    expect(await requestsOf(user.id)).toEqual([]);
  });

  it("a failed re-authentication is audited as such", async () => {
    const user = await createVerifiedUser();
    await start(user, "not-the-password").catch(() => {});

    expect(await auditActions(user.id)).toEqual(["auth.reauth_failed"]);
  });
});
