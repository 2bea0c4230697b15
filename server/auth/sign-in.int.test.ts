import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { signIn } from "@/server/auth/sign-in";
import { db } from "@/server/db";
import { createUser, uniquePhone, userRow } from "@/tests/support/factories";
import { rejectionOf } from "@/tests/support/flows";

const meta = { ip: "203.0.113.5", userAgent: "vitest" };

describe("signIn", () => {
  it("answers who signed in and their session version, and audits it with the client's meta", async () => {
    const user = await createUser({ fullName: "Sita Sharma" });

    const signed = await signIn({ phone: user.phone, password: user.password, meta });

    expect(signed).toEqual({ id: user.id, sessionVersion: user.sessionVersion, fullName: "Sita Sharma" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { userId: user.id, action: "auth.signed_in" } });
    expect(audit).toMatchObject(meta);
  });

  it("a wrong password: WRONG_PASSWORD with the attempts left, audited as a failure", async () => {
    const user = await createUser();

    await expect(signIn({ phone: user.phone, password: "nope-nope-1", meta })).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
      extra: { attemptsLeft: rules.lockoutThreshold - 1 },
    });
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "auth.sign_in_failed" } })).toBe(1);
  });

  it("an unknown phone: the same WRONG_PASSWORD code, without an attempts count", async () => {
    const error = await rejectionOf(signIn({ phone: uniquePhone(), password: "whatever-1", meta }));
    expect(error.code).toBe("WRONG_PASSWORD");
    expect(error.message).toBe("Wrong mobile number or password.");
    expect(error.extra).toBeUndefined();
  });

  it("an unknown phone is audited without an account, the phone masked", async () => {
    const phone = uniquePhone();
    // Masked phones collide across parallel tests (98******99): this attempt's row is found by its own user agent.
    const mineOnly = { ...meta, userAgent: `vitest-${crypto.randomUUID()}` };
    await signIn({ phone, password: "whatever-1", meta: mineOnly }).catch(() => {});

    const national = phone.slice(4);
    const masked = `${national.slice(0, 2)}******${national.slice(-2)}`;
    const mine = await db.auditEvent.findMany({ where: { action: "auth.sign_in_failed", userAgent: mineOnly.userAgent } });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ userId: null, ip: meta.ip, details: { phone: masked, reason: "unknown_phone" } });
    expect(JSON.stringify(mine[0]!.details)).not.toContain(national);
  });

  it("the right password while the account is locked: LOCKED (so no session), in milliseconds too", async () => {
    const user = await createUser();
    for (let i = 0; i < rules.lockoutThreshold; i++) await signIn({ phone: user.phone, password: "nope-nope-1", meta }).catch(() => {});

    const error = await rejectionOf(signIn({ phone: user.phone, password: user.password, meta }));
    expect(error).toMatchObject({ code: "LOCKED" });
    expect(error.extra!.retryAfterMs).toBeGreaterThan(rules.lockoutDurationMs - 10_000);
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "auth.signed_in" } })).toBe(0);
  });

  it(`locks after ${rules.lockoutThreshold} failures; the right password is then refused until the lock ends`, async () => {
    const user = await createUser();
    for (let i = 0; i < rules.lockoutThreshold; i++) await signIn({ phone: user.phone, password: "nope-nope-1", meta }).catch(() => {});

    const error = await rejectionOf(signIn({ phone: user.phone, password: user.password, meta }));
    expect(error.code).toBe("LOCKED");
    expect(error.retryAfter).toBeGreaterThan(rules.lockoutDurationMs / 1000 - 10);

    await db.$executeRaw`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = ${user.id}::uuid`;
    await expect(signIn({ phone: user.phone, password: user.password, meta })).resolves.toMatchObject({ id: user.id });
  });

  it("a successful sign-in resets the failure count", async () => {
    const user = await createUser();
    await signIn({ phone: user.phone, password: "nope-nope-1", meta }).catch(() => {});

    await signIn({ phone: user.phone, password: user.password, meta });

    expect((await userRow(user.id)).failedPasswordCount).toBe(0);
  });

  it("carries the current session version (bumped by an email change)", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });

    expect((await signIn({ phone: user.phone, password: user.password, meta })).sessionVersion).toBe(user.sessionVersion + 1);
  });
});
