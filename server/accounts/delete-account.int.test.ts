import { describe, expect, it } from "vitest";
import { maskEmail } from "@/lib/email-address";
import { rules } from "@/lib/rules";
import { deleteAccount } from "@/server/accounts/delete-account";
import { auditPseudonym } from "@/server/accounts/pseudonym";
import { signIn } from "@/server/auth/sign-in";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { payNow } from "@/server/wallet/pay-now";
import { topUp } from "@/server/wallet/top-up";
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

  it("a wallet holding money keeps its account: WALLET_NOT_EMPTY, nothing erased; once empty, the wallet outlives the account without an owner", async () => {
    const user = await createUser();
    const friend = await createUser();
    await topUp({ userId: user.id, amount: 50_00 });

    const refused = await deleteAccount({ user: await reloadUser(user), password: user.password, meta }).catch((error: unknown) => error);
    expect(isAppError(refused) && refused.toBody().error).toMatchObject({
      code: "WALLET_NOT_EMPTY",
      message: expect.stringContaining("Rs. 50.00"),
    });
    expect(await db.user.findUnique({ where: { id: user.id } })).not.toBeNull();

    await payNow({ user: await reloadUser(user), toPhone: friend.phone, amount: 50_00, note: null, password: user.password, meta });
    const wallet = await db.wallet.findUniqueOrThrow({ where: { userId: user.id } });
    await deleteAccount({ user: await reloadUser(user), password: user.password, meta });
    expect(await db.wallet.findUniqueOrThrow({ where: { id: wallet.id } })).toMatchObject({ userId: null, balance: 0n });
    expect(await db.ledgerPosting.count({ where: { walletId: wallet.id } })).toBe(2);
  });

  it("a locked account cannot be deleted, even with the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < rules.lockoutThreshold; i++)
      await deleteAccount({ user: await reloadUser(user), password: "not-it-123", meta }).catch(() => {});

    await expect(deleteAccount({ user: await reloadUser(user), password: user.password, meta })).rejects.toMatchObject({ code: "LOCKED" });
    expect(await db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
  });
});
