import { SUBJECTS, expect, linkIn, test, uniqueEmail } from "./support/fixtures";

// The link pages (issue 12): the landing page, the expired-link page, the
// outcome pages and the resend page. Every flow runs twice, with JavaScript
// off (plain form posts answered with 303s) and on (the same forms, enhanced).

const { verify: VERIFY, oldHop: OLD_HOP, newHop: NEW_HOP } = SUBJECTS;
const masked = (email: string) => `${email[0]}***@example.test`;

for (const javaScriptEnabled of [false, true]) {
  test.describe(`link pages with JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test.describe("an unverified address from signup", () => {
      test.use({ userOptions: { email: true } });

      test("verify from the landing page: Confirm lands on the outcome page, whose URL has no token", async ({ page, user, mailbox }) => {
        const link = linkIn(await mailbox.waitForEmail(user.email!, { subject: VERIFY }));
        await page.goto(link);
        await expect(page.getByRole("heading", { name: "Verify your email" })).toBeVisible();
        if (javaScriptEnabled) await expect.poll(() => page.url()).not.toContain("token=");
        await page.getByRole("button", { name: "Confirm my email" }).click();

        await expect(page.getByTestId("confirm-outcome")).toContainText("verified");
        expect(new URL(page.url()).pathname).toBe("/email/confirmed");
        expect(page.url()).not.toContain("token");
        const account = await page.request.get("/api/account");
        expect(account.status()).toBe(401); // nobody signed in: the link alone verified it
      });

      test("an expired link goes to a page of its own, without the token, and mails a new link", async ({ db, page, user, mailbox }) => {
        const email = user.email!;
        const link = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY }));
        const token = new URL(link).searchParams.get("token")!;
        await db.sql(`UPDATE email_links SET expires_at = now() - interval '1 minute' WHERE sent_to = $1`, [email]);
        await db.sql(`UPDATE email_requests SET last_sent_at = now() - interval '2 minutes' WHERE new_email = $1`, [email]);

        const lastSent = async () =>
          (await db.sql<{ at: Date }>(`SELECT last_sent_at AS at FROM email_requests WHERE new_email = $1`, [email]))[0]!.at.getTime();
        const sentBefore = await lastSent();
        await page.goto(link);
        await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
        expect(new URL(page.url()).pathname).toBe("/email/expired");
        expect(page.url()).not.toContain(token);
        await expect(page.getByText(masked(email))).toBeVisible();
        // Opening it (a scanner, a reload) sends nothing: only the button does.
        await page.reload();
        expect(await lastSent()).toBe(sentBefore);

        await page.getByRole("button", { name: "Send me a new link" }).click();
        await expect(page.getByTestId("new-link-result")).toContainText(`We sent a new link to ${masked(email)}`);
        expect(page.url()).not.toContain(token);
        const fresh = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY, count: 2 }));
        expect(fresh).not.toBe(link);

        await page.goto(fresh);
        await page.getByRole("button", { name: "Confirm my email" }).click();
        await expect(page.getByTestId("confirm-outcome")).toContainText("verified");
      });

      test("a link used meanwhile: Confirm says so on a page without the token", async ({ page, request, user, mailbox }) => {
        const message = await mailbox.waitForEmail(user.email!, { subject: VERIFY });
        await page.goto(linkIn(message));
        // Someone (another tab, the mobile app) confirms it first.
        expect((await request.post("/api/email/confirm", { data: { token: mailbox.tokenIn(message) } })).status()).toBe(200);

        await page.getByRole("button", { name: "Confirm my email" }).click();
        await expect(page.getByTestId("confirm-error")).toContainText("Each link works once");
        expect(page.url()).not.toContain("token");
      });

      test("the resend page: cooldown rendered as a time, resend after it, then cancel", async ({ db, page, user, signIn, mailbox }) => {
        const email = user.email!;
        const first = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY }));
        await signIn(page.context(), user);
        await page.goto("/email/resend");
        await expect(page.getByRole("heading", { name: "Verify your email" })).toBeVisible();
        await expect(page.getByTestId("pending-status")).toContainText(masked(email));
        const cooldown = page.getByTestId("resend-cooldown");
        await expect(cooldown).toHaveAttribute("aria-live", "polite");
        await expect(cooldown).toContainText(/from \d\d:\d\d:\d\d/);

        if (javaScriptEnabled) {
          await expect(page.getByTestId("resend")).toBeDisabled();
          await expect(page.getByTestId("resend")).toHaveText(/Resend in \d+ s/);
        } else {
          // Without JavaScript the button cannot count down: pressing it early gets the server's answer.
          await page.getByTestId("resend").click();
          await expect(page.getByTestId("pending-error")).toBeVisible();
          expect((await mailbox.list(email)).filter((m) => VERIFY.test(m.subject))).toHaveLength(1);
        }

        // Skip the rest of the cooldown rather than wait it out.
        await db.sql(`UPDATE email_requests SET last_sent_at = now() - interval '61 seconds' WHERE new_email = $1 AND status = 'pending'`, [
          email,
        ]);
        await page.reload();
        await expect(page.getByTestId("resend")).toHaveText("Resend email");
        await page.getByTestId("resend").click();
        await expect(page.getByTestId("resend-page-notice")).toContainText("A new link is on its way");
        expect(new URL(page.url()).pathname).toBe("/email/resend");
        const second = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY, count: 2 }));
        expect(second).not.toBe(first);

        await page.getByRole("button", { name: "Cancel request" }).click();
        await expect(page.getByTestId("resend-page-notice")).toContainText("cancelled");
        await expect(page.getByTestId("nothing-pending")).toBeVisible();
        await page.goto(second);
        await expect(page.getByRole("heading", { name: "This request was cancelled" })).toBeVisible();
      });
    });

    test.describe("a change of a verified address", () => {
      test.use({ userOptions: { email: true, verified: true } });

      test("the old address's link needs the owner's session; the new address's does not", async ({ browser, user, signIn, mailbox }) => {
        const owner = await browser.newContext({ javaScriptEnabled });
        await signIn(owner, user);
        const newEmail = uniqueEmail("hop-signin");
        const started = await owner.request.post("/api/account/email", { data: { email: newEmail, password: user.password } });
        expect(started.status()).toBe(202);
        const oldMessage = await mailbox.waitForEmail(user.email!, { subject: OLD_HOP });
        await owner.close();

        // The old link opened where nobody is signed in (a scanner, another device): it cannot approve.
        const device = await browser.newContext({ javaScriptEnabled });
        const page = await device.newPage();
        await page.goto(linkIn(oldMessage));
        await expect(page.getByTestId("sign-in-to-approve")).toBeVisible();
        await expect(page.getByRole("button", { name: /Yes, change my email/ })).toHaveCount(0);
        const refused = await device.request.post("/api/email/confirm", { data: { token: mailbox.tokenIn(oldMessage) } });
        expect(refused.status()).toBe(403);
        expect((await refused.json()).error.code).toBe("OWNER_SESSION_REQUIRED");
        const signInLink = page.getByRole("link", { name: "Sign in to approve" });
        expect(decodeURIComponent((await signInLink.getAttribute("href"))!)).toContain(
          `/email/confirm?token=${mailbox.tokenIn(oldMessage)}`,
        );

        if (javaScriptEnabled) {
          // The real sign-in form brings the person back to the same link.
          await signInLink.click();
          await page.getByLabel("Mobile number").fill(user.phone);
          await page.getByLabel("Password").fill(user.password);
          await page.getByRole("button", { name: "Sign in" }).click();
          await expect(page.getByRole("heading", { name: "Confirm the email change" })).toBeVisible();
        } else {
          await signIn(device, user);
          await page.goto(linkIn(oldMessage));
        }
        await page.getByRole("button", { name: /Yes, change my email/ }).click();
        await expect(page.getByTestId("confirm-outcome")).toContainText(`Now check ${masked(newEmail)}`);
        expect(page.url()).not.toContain("token");
        await device.close();

        // The new address's link works without a session.
        const anonymous = await browser.newContext({ javaScriptEnabled });
        const last = await anonymous.newPage();
        await last.goto(linkIn(await mailbox.waitForEmail(newEmail, { subject: NEW_HOP })));
        await last.getByRole("button", { name: "Confirm new email" }).click();
        await expect(last.getByTestId("confirm-outcome")).toContainText("changed");
        expect(new URL(last.url()).pathname).toBe("/email/confirmed");
        await anonymous.close();
      });
    });
  });
}
