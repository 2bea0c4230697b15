import { describe, expect, it } from "vitest";
import { maskEmail } from "@/lib/email-address";
import { rules } from "@/lib/rules";
import { deleteAccount } from "@/server/accounts/delete-account";
import { auditPseudonym } from "@/server/accounts/pseudonym";
import { signIn } from "@/server/auth/sign-in";
import { db } from "@/server/db";
import { createUser, reloadUser, requestsOf } from "@/tests/support/factories";
import { startAdd } from "@/tests/support/flows";
import { sessionFor, signInSession } from "@/tests/support/sessions";

const meta = { ip: "198.51.100.80", userAgent: "vitest delete" };

describe("deleteAccount", () => {
  it("erases the account and everything personal, signs every browser out, and keeps the audit trail under a keyed pseudonym", async () => {
    const user = await createUser();
    const { request, email } = await startAdd(user);
    await signIn({ phone: user.phone, password: user.password, meta });
    const { cookie, sessionId } = await signInSession(user, meta);
    const before = await db.auditEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });

    await deleteAccount({ user: await reloadUser(user), password: user.password, meta });

    expect(await db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await db.user.count({ where: { phone: user.phone } })).toBe(0);
    expect(await requestsOf(user.id)).toEqual([]);
    expect(await db.emailLink.count({ where: { requestId: request.id } })).toBe(0);
    expect(await db.session.findUnique({ where: { id: sessionId } })).toBeNull();
    expect(await sessionFor(cookie)).toBeNull();

    const after = await db.auditEvent.findMany({ where: { id: { in: before.map((row) => row.id) } }, orderBy: { id: "asc" } });
    expect(after.map((row) => row.action)).toEqual(before.map((row) => row.action));
    for (const row of after) {
      expect(row).toMatchObject({ userId: null, subject: auditPseudonym(user.id), ip: null, userAgent: null });
      expect(row.details).not.toHaveProperty("newEmail");
      expect(JSON.stringify(row.details)).not.toContain(maskEmail(email));
    }
    expect(await db.auditEvent.findFirst({ where: { subject: auditPseudonym(user.id), action: "account.deleted" } })).not.toBeNull();
    // The pseudonym is keyed: not the id, nor a plain hash of it.
    expect(auditPseudonym(user.id)).not.toContain(user.id);
    expect(auditPseudonym(user.id)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a wrong password erases nothing, counts toward the lock and is audited", async () => {
    const user = await createUser();

    await expect(deleteAccount({ user, password: "not-it-123", meta })).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
      extra: { attemptsLeft: rules.lockoutThreshold - 1 },
    });
    expect(await db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "account.delete_failed", ip: meta.ip } })).toBe(1);
  });

  it("a locked account cannot be deleted, even with the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < rules.lockoutThreshold; i++)
      await deleteAccount({ user: await reloadUser(user), password: "not-it-123", meta }).catch(() => {});

    await expect(deleteAccount({ user: await reloadUser(user), password: user.password, meta })).rejects.toMatchObject({ code: "LOCKED" });
    expect(await db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
  });
});
