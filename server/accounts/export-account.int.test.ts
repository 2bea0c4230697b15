import { describe, expect, it } from "vitest";
import { accountExport } from "@/lib/api";
import { exportAccount } from "@/server/accounts/export-account";
import { NO_META } from "@/server/audit";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { signIn } from "@/server/auth/sign-in";
import { db } from "@/server/db";
import { createUser, linksOf, userRow } from "@/tests/support/factories";
import { startAdd } from "@/tests/support/flows";
import { signInSession } from "@/tests/support/sessions";

const meta = { ip: "198.51.100.60", userAgent: "vitest export" };

describe("exportAccount", () => {
  it("holds the account, its addresses, requests with their links, sessions and the user's own audit events, and no secret", async () => {
    const user = await createUser({ fullName: "Sita Sharma" });
    const stranger = await createUser();
    const { request, email, link } = await startAdd(user);
    await confirmEmailLink({ token: link.token, meta: NO_META });
    await signIn({ phone: user.phone, password: user.password, meta });
    await signIn({ phone: stranger.phone, password: stranger.password, meta });
    await signInSession(user, meta);

    const data = await exportAccount({ user, meta });

    expect(accountExport.parse(data)).toEqual(data);
    expect(data.account).toMatchObject({
      id: user.id,
      phone: user.phone,
      fullName: "Sita Sharma",
      email,
      emailVerifiedAt: expect.any(String),
    });
    expect(data.addresses).toEqual([{ email, role: "current" }]);
    expect(data.emailRequests).toMatchObject([
      { id: request.id, kind: "add", status: "completed", newEmail: email, links: [{ hop: "new", sentTo: email }] },
    ]);
    expect(data.sessions).toMatchObject([{ ip: meta.ip, userAgent: meta.userAgent, endedAt: null }]);
    const actions = data.auditEvents.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["email.requested", "email.verified", "auth.signed_in", "account.exported"]));
    // Only this user's events.
    expect(await db.auditEvent.count({ where: { userId: user.id } })).toBe(data.auditEvents.length);

    const text = JSON.stringify(data);
    const row = await userRow(user.id);
    expect(text).not.toContain(row.passwordHash);
    expect(text).not.toContain(user.password);
    for (const stored of await linksOf(request.id)) expect(text).not.toContain(stored.tokenHash);
    expect(text).not.toContain(link.token);
    expect(text).not.toContain(stranger.phone);
    expect(text).not.toMatch(/failedPasswordCount|lockedUntil|sessionVersion|tokenHash|passwordHash/);
  });
});
