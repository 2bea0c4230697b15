import { startInngestLocal, type InngestLocal } from "@wallet/inngest-local/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { emailSubjects } from "@/emails/render";
import { functions } from "@/inngest/functions";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import { inngest } from "@/server/inngest";
import { createUser, userRow, type TestUser } from "@/tests/support/factories";
import { emailsTo, waitForEmails } from "@/tests/support/mailbox";

// The lock notice end to end: wrong passwords lock the account, the event
// reaches the local engine, the function's step sends the email through SMTP.

let local: InngestLocal;

beforeAll(async () => {
  local = await startInngestLocal({ databaseUrl: inject("testDatabaseUrl"), client: inngest, functions });
});
afterAll(() => local?.stop());

async function lockOut(user: TestUser) {
  for (let i = 0; i < rules.lockoutThreshold; i++) {
    await checkPassword({ user, password: "not-the-password", meta: NO_META, purpose: "sign-in" }).catch(() => {});
  }
  return (await userRow(user.id)).lockedUntil!;
}

/** The notice's run for this lock (its event id names the user and the lock's end), once it has ended. */
async function noticeRun(userId: string, lockedUntil: Date) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    // The event is relayed after the lock commits (ADR 0016): until it
    // reaches the engine, the engine does not know its id (404).
    const [run] = await local.client.eventRuns(`password-locked-${userId}-${lockedUntil.getTime()}`).catch(() => []);
    if (run) return local.client.waitForRun(run.id, { timeoutMs: 20_000 });
    if (Date.now() > deadline) throw new Error(`no lock notice run for ${userId}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("send-lock-notice on the local engine", () => {
  it("a lock emails the account holder's verified address", async () => {
    const user = await createUser({ email: true, verified: true, fullName: "Sita Sharma" });

    const lockedUntil = await lockOut(user);

    const [email] = await waitForEmails(user.email!, 1, 15_000);
    expect(email!.subject).toBe(emailSubjects["account-locked"]);
    expect(email!.text).toMatch(/Dear Sita Sharma/);
    expect(email!.text).toMatch(/Where you have signed in before, you can still sign in/);
    expect((await noticeRun(user.id, lockedUntil)).status).toBe("completed");
  });

  it("an unverified address gets nothing", async () => {
    const user = await createUser({ email: true, verified: false });

    const lockedUntil = await lockOut(user);

    const run = await noticeRun(user.id, lockedUntil);
    expect(run.status).toBe("completed");
    expect(await emailsTo(user.email!)).toEqual([]);
  });
});
