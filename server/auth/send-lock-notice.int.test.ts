import { describe, expect, it } from "vitest";
import { emailSubjects } from "@/emails/render";
import { sendLockNotice } from "@/server/auth/send-lock-notice";
import { createUser } from "@/tests/support/factories";
import { emailsTo, waitForEmails } from "@/tests/support/mailbox";

const lockedUntil = new Date(Date.now() + 15 * 60_000).toISOString();

describe("sendLockNotice", () => {
  it("emails the verified address that the account is locked, and until when", async () => {
    const user = await createUser({ email: true, verified: true, fullName: "Sita Sharma" });

    await expect(sendLockNotice({ userId: user.id, scope: "strangers", lockedUntil })).resolves.toEqual({ sent: true });

    const [email] = await waitForEmails(user.email!);
    expect(email!.subject).toBe(emailSubjects["account-locked"]);
    expect(email!.text).toContain("Sita Sharma");
    expect(email!.text).toMatch(/NPT/);
  });

  it("sends nothing to an unverified address (it may be someone else's)", async () => {
    const user = await createUser({ email: true, verified: false });

    await expect(sendLockNotice({ userId: user.id, scope: "everyone", lockedUntil })).resolves.toEqual({
      sent: false,
      reason: "no verified email",
    });
    // sendLockNotice hands mail to SMTP before it returns, so nothing can still be on its way.
    expect(await emailsTo(user.email!)).toEqual([]);
  });

  it("sends nothing without an address", async () => {
    const user = await createUser();
    await expect(sendLockNotice({ userId: user.id, scope: "strangers", lockedUntil })).resolves.toEqual({
      sent: false,
      reason: "no verified email",
    });
  });
});
