import { runOfEmailRequest } from "./support/engine";
import { SUBJECTS, confirmLink, expect, linkIn, submitEmailForm, test, uniqueEmail } from "./support/fixtures";

const { oldHop: OLD_HOP, newHop: NEW_HOP, changed: CHANGED, linked: LINKED } = SUBJECTS;

test.describe("changing a verified email in two hops (UC04)", () => {
  test.use({ userOptions: { email: true, verified: true } });

  test("old link, then new link: the change applies and both addresses are told", async ({
    signedInPage: page,
    user,
    browser,
    signIn,
    mailbox,
  }) => {
    const oldEmail = user.email!;
    const newEmail = uniqueEmail("after");
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    await expect(page.getByRole("heading", { name: "Email change: step 1 of 2" })).toBeVisible();
    await expect(page.getByTestId("pending-status")).toContainText(`${oldEmail[0]}***@example.test`);

    const oldMessage = await mailbox.waitForEmail(oldEmail, { subject: OLD_HOP });
    expect(oldMessage.text).toContain("a***@example.test");
    // The new address hears nothing before the old one confirms.
    expect(await mailbox.list(newEmail)).toHaveLength(0);

    // The old address's link is opened on another device, where the owner is
    // signed in too: approving the old hop needs the owner's session (ADR 0017;
    // e2e/link-pages.spec.ts covers the device that is not signed in).
    const other = await browser.newContext();
    await signIn(other, user);
    const phone = await other.newPage();
    await confirmLink(phone, linkIn(oldMessage), /Yes, change my email/);
    await expect(phone.getByTestId("confirm-outcome")).toContainText("Now check a***@example.test");
    await other.close();

    // The profile, left open on the first device, moves to step 2 by itself.
    await expect(page.getByRole("heading", { name: "Email change: step 2 of 2" })).toBeVisible({ timeout: 15_000 });
    const newMessage = await mailbox.waitForEmail(newEmail, { subject: NEW_HOP });
    await confirmLink(page, linkIn(newMessage), /Confirm new email/);
    await expect(page.getByTestId("confirm-outcome")).toContainText("changed");

    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toContainText(newEmail);
    await expect(page.getByTestId("email-state")).toHaveText("Verified");
    await mailbox.waitForEmail(oldEmail, { subject: CHANGED });
    await mailbox.waitForEmail(newEmail, { subject: LINKED });
  });

  test("opening either link changes nothing until Confirm is pressed", async ({ signedInPage: page, user, request, mailbox }) => {
    const newEmail = uniqueEmail("scan-new");
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    const oldLink = linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP }));
    expect((await request.get(oldLink)).status()).toBe(200);
    expect((await request.get(oldLink)).status()).toBe(200);
    await page.reload();
    await expect(page.getByRole("heading", { name: "Email change: step 1 of 2" })).toBeVisible();
    await confirmLink(page, oldLink, /Yes, change my email/);

    const newLink = linkIn(await mailbox.waitForEmail(newEmail, { subject: NEW_HOP }));
    expect((await request.get(newLink)).status()).toBe(200);
    await page.goto("/profile");
    await expect(page.getByRole("heading", { name: "Email change: step 2 of 2" })).toBeVisible();
    await expect(page.getByTestId("profile-email")).toContainText(user.email!);
    await confirmLink(page, newLink, /Confirm new email/);
    await expect(page.getByTestId("confirm-outcome")).toContainText("changed");
  });

  test("cancel mid-way: the pending new link dies and the old address stays", async ({ signedInPage: page, user, mailbox }) => {
    const newEmail = uniqueEmail("cancel-new");
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    await confirmLink(page, linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP })), /Yes, change my email/);
    const newLink = linkIn(await mailbox.waitForEmail(newEmail, { subject: NEW_HOP }));

    await page.goto("/profile");
    await page.getByRole("button", { name: "Cancel request" }).click();
    await expect(page.getByTestId("resend-page-notice")).toContainText("cancelled");
    await page.goto("/profile");
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
    await expect(page.getByTestId("profile-email")).toContainText(user.email!);

    await page.goto(newLink);
    await expect(page.getByRole("heading", { name: "This request was cancelled" })).toBeVisible();
  });

  test("a new change supersedes the pending one", async ({ signedInPage: page, user, mailbox }) => {
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await submitEmailForm(page, { email: first, password: user.password, action: "Change email" });
    const firstLink = linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP }));

    await submitEmailForm(page, { email: second, password: user.password, action: "Change email" });
    await expect(page.getByTestId("pending-status")).toContainText(second);
    const secondLink = linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP, count: 2 }));
    expect(secondLink).not.toBe(firstLink);

    await page.goto(firstLink);
    await expect(page.getByRole("heading", { name: "This link has been replaced" })).toBeVisible();
    await confirmLink(page, secondLink, /Yes, change my email/);
    await mailbox.waitForEmail(second, { subject: NEW_HOP });
    expect(await mailbox.list(first)).toHaveLength(0);
  });

  test("an expired hop offers a new link to the same address", async ({ db, signedInPage: page, user, mailbox }) => {
    const newEmail = uniqueEmail("hop-new");
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    const oldLink = linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP }));
    // Expiry is tested by moving it, never by waiting for it.
    await db.sql(`UPDATE email_links SET expires_at = now() - interval '1 minute' WHERE sent_to = $1 AND hop = 'old'`, [user.email]);
    await db.sql(
      `UPDATE email_requests SET hop_expires_at = now() - interval '1 minute', last_sent_at = now() - interval '2 minutes' WHERE new_email = $1`,
      [newEmail],
    );

    await page.goto(oldLink);
    await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
    await page.getByRole("button", { name: "Send me a new link" }).click();
    await expect(page.getByTestId("new-link-result")).toContainText(`${user.email![0]}***@example.test`);
    const fresh = linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP, count: 2 }));
    expect(fresh).not.toBe(oldLink);
    await confirmLink(page, fresh, /Yes, change my email/);
    await mailbox.waitForEmail(newEmail, { subject: NEW_HOP });
  });

  test("if another account takes the new address before the last confirm, nothing changes", async ({
    signedInPage: page,
    user,
    accounts,
    mailbox,
  }) => {
    const contested = uniqueEmail("contested");
    await submitEmailForm(page, { email: contested, password: user.password, action: "Change email" });
    await confirmLink(page, linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP })), /Yes, change my email/);
    const newLink = linkIn(await mailbox.waitForEmail(contested, { subject: NEW_HOP }));

    await accounts.create({ email: contested, verified: true });

    await page.goto(newLink);
    await page.getByRole("button", { name: /Confirm new email/ }).click();
    await expect(page.getByTestId("confirm-error")).toContainText("Another account confirmed this address first");
    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toContainText(user.email!);
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
  });

  test("after the change, other sessions are signed out and the confirming one is not", async ({ browser, user, signIn, mailbox }) => {
    const newEmail = uniqueEmail("sessions-new");
    const current = await browser.newContext();
    const elsewhere = await browser.newContext();
    await signIn(current, user);
    await signIn(elsewhere, user);
    const page = await current.newPage();
    const otherPage = await elsewhere.newPage();
    await page.goto("/profile");
    await otherPage.goto("/profile");
    await expect(otherPage.getByRole("heading", { name: "Profile" })).toBeVisible();

    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    await confirmLink(page, linkIn(await mailbox.waitForEmail(user.email!, { subject: OLD_HOP })), /Yes, change my email/);
    await confirmLink(page, linkIn(await mailbox.waitForEmail(newEmail, { subject: NEW_HOP })), /Confirm new email/);

    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toContainText(newEmail);
    await otherPage.goto("/profile");
    await expect(otherPage).toHaveURL(/\/signin/);
    expect((await otherPage.request.get("/api/account")).status()).toBe(401);
    await current.close();
    await elsewhere.close();
  });

  test(
    "with SMTP down, the hop email is retried and arrives exactly once when it is back",
    // The outage switch is the catcher's, shared by every test's mail.
    { tag: "@global-state" },
    async ({ engine, smtp, signedInPage: page, user, mailbox }) => {
      const oldHopEmails = async () => (await mailbox.list(user.email!)).filter((m) => OLD_HOP.test(m.subject));
      await smtp.down();
      await submitEmailForm(page, { email: uniqueEmail("smtp-new"), password: user.password, action: "Change email" });
      await expect(page.getByTestId("pending-request")).toBeVisible();

      // Instead of waiting a while for nothing to happen, wait until the
      // workflow has tried to send the email and failed.
      const { emailRequest } = (await (await page.request.get("/api/account")).json()) as { emailRequest: { id: string } };
      let runId: string | null = null;
      await expect.poll(async () => (runId = await runOfEmailRequest(engine, emailRequest.id))).not.toBeNull();
      await engine.waitForRun(runId!, { until: (run) => run.history.some((entry) => /\.error\.retrying$/.test(entry.kind)) });
      expect(await oldHopEmails()).toHaveLength(0);

      await smtp.up();
      await mailbox.waitForEmail(user.email!, { subject: OLD_HOP, timeoutMs: 60_000 });
      // Waiting for the confirmation means the send step succeeded and is done: no retry can follow.
      await engine.waitForRun(runId!, { until: (run) => run.waitingFor.pauses.length > 0 });
      expect(await oldHopEmails()).toHaveLength(1);
    },
  );
});
