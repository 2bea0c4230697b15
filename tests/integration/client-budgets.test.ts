// Per-client budgets on the real database: the counter itself, and through
// the route files and next-auth's authorize (so it lives in tests/, which
// may import app/ routes).
import argon2 from "argon2";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as confirmLink } from "@/app/api/email/confirm/route";
import { POST as signUpRoute } from "@/app/api/auth/signup/route";
import { rules } from "@/lib/rules";
import { authOptions } from "@/server/auth/options";
import { pruneClientBudgets, scaledLimit, takeClientBudget } from "@/server/budgets/take-client-budget";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { createUser, PASSWORD, uniquePhone } from "@/tests/support/factories";
import { apiRequest, uniqueIp } from "@/tests/support/http";

afterEach(() => vi.restoreAllMocks());

const client = () => `test-${randomUUID()}`;
const outcome = (result: PromiseSettledResult<unknown>) =>
  result.status === "fulfilled" ? "ok" : isAppError(result.reason) ? result.reason.code : String(result.reason);

describe("takeClientBudget", () => {
  it("lets exactly the budget through when one client sends many requests at once", async () => {
    const key = client();
    const limit = rules.clientBudgets.emailLink.limit;
    const results = await Promise.allSettled(
      Array.from({ length: limit + 15 }, () => takeClientBudget({ budget: "emailLink", client: key, scale: 1 })),
    );
    const outcomes = results.map(outcome);
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(limit);
    expect(outcomes.filter((o) => o === "RATE_LIMITED")).toHaveLength(15);
    const refusal = results.find((r) => r.status === "rejected")!.reason;
    expect(refusal.status).toBe(429);
    expect(refusal.toBody().error.retryAfterMs).toBeGreaterThan(0);
    expect(refusal.toBody().error.retryAfterMs).toBeLessThanOrEqual(rules.clientBudgets.emailLink.windowMs);
    // Another client is not affected.
    await expect(takeClientBudget({ budget: "emailLink", client: client(), scale: 1 })).resolves.toBeDefined();
  });

  it("multiplies every budget by CLIENT_BUDGET_SCALE", async () => {
    expect(scaledLimit("signUp", 3)).toBe(rules.clientBudgets.signUp.limit * 3);
    expect(scaledLimit("signUp", 0.001)).toBe(1);
    const key = client();
    const results = await Promise.allSettled(
      Array.from({ length: rules.clientBudgets.signUp.limit * 3 + 4 }, () => takeClientBudget({ budget: "signUp", client: key, scale: 3 })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(rules.clientBudgets.signUp.limit * 3);
  });

  it("a refunded unit can be spent again, once", async () => {
    const key = client();
    const taken = [];
    for (let i = 0; i < rules.clientBudgets.signUp.limit; i++)
      taken.push(await takeClientBudget({ budget: "signUp", client: key, scale: 1 }));
    await expect(takeClientBudget({ budget: "signUp", client: key, scale: 1 })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await taken[0]!.refund();
    await taken[0]!.refund();
    await expect(takeClientBudget({ budget: "signUp", client: key, scale: 1 })).resolves.toBeDefined();
    await expect(takeClientBudget({ budget: "signUp", client: key, scale: 1 })).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("prunes the counters of ended windows and keeps the current ones", async () => {
    const key = client();
    await takeClientBudget({ budget: "signUp", client: key, scale: 1 });
    await db.clientBudget.create({
      data: { budget: "signUp", client: key, windowStart: new Date(Date.now() - 3 * 60 * 60 * 1000), used: 5 },
    });
    await pruneClientBudgets();
    const rows = await db.clientBudget.findMany({ where: { client: key } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.used).toBe(1);
  });
});

describe("budgets on the routes", () => {
  it("sign-up: past the budget, 429 in the error shape with Retry-After, and no password is hashed", async () => {
    const ip = uniqueIp();
    const signUp = () =>
      signUpRoute(
        apiRequest("/api/auth/signup", { ip, json: { phone: uniquePhone(), fullName: "Budget Test", password: "budget-pass-42" } }),
      );
    for (let i = 0; i < rules.clientBudgets.signUp.limit; i++) expect((await signUp()).status).toBe(201);
    const hash = vi.spyOn(argon2, "hash");
    const refused = await signUp();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after-ms"))).toBeGreaterThan(0);
    const body = await refused.json();
    expect(body.error).toMatchObject({
      code: "RATE_LIMITED",
      message: expect.any(String),
      retryAfterMs: expect.any(Number),
      retryAt: expect.any(String),
    });
    expect(hash).not.toHaveBeenCalled();
    // The next address is a different client.
    expect(
      (
        await signUpRoute(
          apiRequest("/api/auth/signup", { json: { phone: uniquePhone(), fullName: "Other Client", password: "budget-pass-42" } }),
        )
      ).status,
    ).toBe(201);
  });

  it("link endpoints: a burst from one client gets exactly the budget through", async () => {
    const ip = uniqueIp();
    const limit = rules.clientBudgets.emailLink.limit;
    const responses = await Promise.all(
      Array.from({ length: limit + 7 }, () =>
        confirmLink(apiRequest("/api/email/confirm", { ip, json: { token: "not-a-real-token-0000" } })),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(statuses.filter((s) => s !== 429).every((s) => s < 500)).toBe(true);
  });
});

describe("failed sign-ins per client (next-auth's authorize)", () => {
  // The provider's own authorize, as next-auth calls it for POST /api/auth/callback/credentials.
  const authorize = (authOptions.providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } })
    .options.authorize;
  const attempt = (ip: string, credentials: { phone: string; password: string }) =>
    authorize(credentials, { headers: { "x-forwarded-for": ip, "user-agent": "vitest" } }).then(
      () => "ok",
      (error: Error) => JSON.parse(error.message).code as string,
    );

  it("past the budget every attempt is refused before hashing, a right password too; a success does not count", async () => {
    const ip = uniqueIp();
    const user = await createUser();
    const limit = rules.clientBudgets.failedSignIn.limit;
    // A success in between gives its unit back.
    for (let i = 0; i < limit - 1; i++)
      expect(await attempt(ip, { phone: uniquePhone(), password: "wrong-password-1" })).toBe("WRONG_PASSWORD");
    expect(await attempt(ip, { phone: user.phone, password: PASSWORD })).toBe("ok");
    expect(await attempt(ip, { phone: uniquePhone(), password: "wrong-password-1" })).toBe("WRONG_PASSWORD");

    const verify = vi.spyOn(argon2, "verify");
    const burst = await Promise.all(Array.from({ length: 10 }, () => attempt(ip, { phone: uniquePhone(), password: "wrong-password-1" })));
    expect(burst).toEqual(Array(10).fill("RATE_LIMITED"));
    expect(await attempt(ip, { phone: user.phone, password: PASSWORD })).toBe("RATE_LIMITED");
    expect(verify).not.toHaveBeenCalled();
    // Another client still signs in.
    expect(await attempt(uniqueIp(), { phone: user.phone, password: PASSWORD })).toBe("ok");
  });

  it("a burst of wrong passwords from one client costs at most the budget in hashing", async () => {
    const ip = uniqueIp();
    const verify = vi.spyOn(argon2, "verify");
    const limit = rules.clientBudgets.failedSignIn.limit;
    const results = await Promise.all(
      Array.from({ length: limit + 20 }, () => attempt(ip, { phone: uniquePhone(), password: "wrong-password-1" })),
    );
    expect(results.filter((r) => r === "RATE_LIMITED").length).toBeGreaterThanOrEqual(20);
    // Some may be refused as busy (503) instead of hashed; none beyond the budget is hashed.
    expect(verify.mock.calls.length).toBeLessThanOrEqual(limit);
    expect(results.every((r) => ["WRONG_PASSWORD", "RATE_LIMITED", "SERVICE_UNAVAILABLE"].includes(r))).toBe(true);
  });
});
