import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { changePassword } from "@/server/accounts/change-password";
import { signIn } from "@/server/auth/sign-in";
import { passwordMatches } from "@/server/auth/password";
import { db } from "@/server/db";
import { createUser, createVerifiedUser, reloadUser, userRow } from "@/tests/support/factories";
import { rejectionOf } from "@/tests/support/flows";
import { emailsTo, waitForEmails } from "@/tests/support/mailbox";
import { currentUserFor, sessionFor, signInSession } from "@/tests/support/sessions";

const meta = { ip: "198.51.100.40", userAgent: "vitest" };
const NEW_PASSWORD = "brand-new-pass-77";

describe("changePassword", () => {
  it("with the current password: the new one signs in, the old one does not, and every other session ends but this one", async () => {
    const user = await createVerifiedUser();
    const here = await signInSession(user);
    const elsewhere = [await signInSession(user), await signInSession(user)];

    const current = (await currentUserFor(here.cookie))!;
    const result = await changePassword({ user: current, currentPassword: user.password, newPassword: NEW_PASSWORD, meta });

    expect(result).toEqual({ changed: true, otherSessionsEnded: 2 });
    expect(await passwordMatches((await userRow(user.id)).passwordHash, NEW_PASSWORD)).toBe(true);
    await expect(signIn({ phone: user.phone, password: user.password, meta })).rejects.toMatchObject({ code: "WRONG_PASSWORD" });
    await expect(signIn({ phone: user.phone, password: NEW_PASSWORD, meta })).resolves.toMatchObject({ id: user.id });
    expect(await currentUserFor(here.cookie)).toMatchObject({ id: user.id });
    for (const { cookie } of elsewhere) expect(await sessionFor(cookie)).toBeNull();
    expect(await db.auditEvent.findFirstOrThrow({ where: { userId: user.id, action: "account.password_changed" } })).toMatchObject({
      ip: meta.ip,
      details: { otherSessionsEnded: 2 },
    });
  });

  it("tells the verified address, with no password in the mail", async () => {
    const user = await createVerifiedUser();

    await changePassword({ user, currentPassword: user.password, newPassword: NEW_PASSWORD, meta });

    const [notice] = await waitForEmails(user.email!);
    expect(notice!.subject).toBe("Your Wallet password was changed");
    expect(notice!.text).toContain("If it was not you");
    expect(notice!.text + notice!.html).not.toContain(NEW_PASSWORD);
    expect(notice!.text + notice!.html).not.toContain(user.password);
  });

  it("sends nothing to an unverified address", async () => {
    const user = await createUser({ email: true });

    await changePassword({ user, currentPassword: user.password, newPassword: NEW_PASSWORD, meta });

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await emailsTo(user.email!)).toEqual([]);
  });

  it("a wrong current password changes nothing, counts toward the lock and is audited", async () => {
    const user = await createUser();
    const other = await signInSession(user);

    const error = await rejectionOf(changePassword({ user, currentPassword: "not-it-123", newPassword: NEW_PASSWORD, meta }));

    expect(error).toMatchObject({ code: "WRONG_PASSWORD", extra: { attemptsLeft: rules.lockoutThreshold - 1 } });
    expect(await passwordMatches((await userRow(user.id)).passwordHash, user.password)).toBe(true);
    expect(await sessionFor(other.cookie)).not.toBeNull();
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "account.password_change_failed", ip: meta.ip } })).toBe(1);
  });

  it("a locked account cannot change its password, even with the right one", async () => {
    const user = await createUser();
    for (let i = 0; i < rules.lockoutThreshold; i++) {
      await changePassword({ user: await reloadUser(user), currentPassword: "not-it-123", newPassword: NEW_PASSWORD, meta }).catch(
        () => {},
      );
    }

    await expect(
      changePassword({ user: await reloadUser(user), currentPassword: user.password, newPassword: NEW_PASSWORD, meta }),
    ).rejects.toMatchObject({
      code: "LOCKED",
    });
    expect(await passwordMatches((await userRow(user.id)).passwordHash, user.password)).toBe(true);
  });

  it("refuses the mobile number inside the new password", async () => {
    const user = await createUser();
    await expect(
      changePassword({ user, currentPassword: user.password, newPassword: `pw${user.phone.slice(4)}`, meta }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", fields: { newPassword: expect.any(String) } });
  });
});
