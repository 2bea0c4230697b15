import type { Page } from "@playwright/test";
import { expectAccessible } from "./support/axe";
import { PASSWORD, SUBJECTS, expect, linkIn, openMoreOptions, test, uniqueEmail } from "./support/fixtures";

// Issue 12, item 5: axe (WCAG 2.1 A and AA rules) on every page in every
// state the app renders, with JavaScript on and off, and no violation of
// serious or critical impact. Each test walks one family of states and
// checks each with expectAccessible (a soft assertion: one run lists them all).

const { verify: VERIFY, oldHop: OLD_HOP, newHop: NEW_HOP } = SUBJECTS;

async function visit(page: Page, url: string, heading: string | RegExp) {
  await page.goto(url);
  await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`accessibility with JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("signed out: home, sign in (empty, wrong password, locked), sign up (empty, errors), 404", async ({ page, user }) => {
      await page.goto("/");
      await expect(page).toHaveURL(/\/signin$/);
      await expectAccessible(page, "/ (signed out)", { javaScriptEnabled });
      await expectAccessible(page, "/signin, empty", { javaScriptEnabled });

      await page.getByLabel("Mobile number").fill(user.phone);
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
        await page.getByRole("button", { name: "Sign in" }).click();
        await expect(page.getByTestId("sign-in-error")).toHaveText(attempt < 5 ? new RegExp(`${5 - attempt} attempts? left`) : /locked/);
        if (attempt === 1) await expectAccessible(page, "/signin, wrong password", { javaScriptEnabled });
      }
      await expectAccessible(page, "/signin, locked", { javaScriptEnabled });

      await visit(page, "/signup", "Create your account");
      await expectAccessible(page, "/signup, empty", { javaScriptEnabled });
      await page.getByLabel("Mobile number").fill("12345");
      await page.getByLabel("Password").fill("short");
      await page.getByLabel("Email (optional)").fill("not-an-email");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
      await expectAccessible(page, "/signup, field errors", { javaScriptEnabled });

      const missing = await page.goto("/no-such-page");
      expect(missing?.status()).toBe(404);
      await expectAccessible(page, "the 404 page", { javaScriptEnabled });
    });

    test("outcome and link pages that need no account: /email/confirmed, an invalid link, an invalid ticket", async ({ page }) => {
      for (const outcome of ["verified", "old-confirmed", "changed", "other"]) {
        await visit(page, `/email/confirmed?outcome=${outcome}`, /./);
        await expectAccessible(page, `/email/confirmed, outcome ${outcome}`, { javaScriptEnabled });
      }
      for (const failed of ["LINK_USED", "LINK_SUPERSEDED", "LINK_CANCELLED", "LINK_INVALID", "EMAIL_TAKEN"]) {
        await visit(page, `/email/confirmed?failed=${failed}`, /./);
        await expect(page.getByTestId("confirm-error")).toBeVisible();
        await expectAccessible(page, `/email/confirmed, failed ${failed}`, { javaScriptEnabled });
      }
      await visit(page, "/email/confirm?token=not-a-real-token", "This link is not valid");
      await expectAccessible(page, "/email/confirm, invalid link", { javaScriptEnabled });
      await visit(page, "/email/confirm", "This link is not valid");
      await expectAccessible(page, "/email/confirm, no token", { javaScriptEnabled });
      await visit(page, "/email/expired?ticket=not-a-ticket", "We cannot send a new link from here");
      await expectAccessible(page, "/email/expired, invalid ticket", { javaScriptEnabled });
    });

    test("signed in without an email: profile, menu open, email form (empty, error), password, delete, resend (cooldown and over)", async ({
      db,
      signedInPage: page,
    }) => {
      await expectAccessible(page, "/profile, no email", { javaScriptEnabled });
      await openMoreOptions(page);
      await expectAccessible(page, "/profile, more options open", { javaScriptEnabled });

      await visit(page, "/profile/password", "Change password");
      await expectAccessible(page, "/profile/password", { javaScriptEnabled });
      await page.getByLabel("Current password").fill("wrong-password-1");
      await page.getByLabel("New password").fill("x");
      await page.getByRole("button", { name: "Change password" }).click();
      await expect(page.getByTestId("password-form-error")).toBeVisible();
      await expectAccessible(page, "/profile/password, errors", { javaScriptEnabled });

      await visit(page, "/profile/delete", "Delete account");
      await expectAccessible(page, "/profile/delete", { javaScriptEnabled });

      await visit(page, "/email/resend", "Your email link");
      await expectAccessible(page, "/email/resend, nothing pending", { javaScriptEnabled });

      await visit(page, "/profile/email", "Add email");
      await expectAccessible(page, "/profile/email, empty", { javaScriptEnabled });
      const email = uniqueEmail("a11y");
      await page.getByLabel("Email address", { exact: true }).fill(email);
      await page.getByLabel("Your password").fill("wrong-password-1");
      await page.getByRole("button", { name: "Send verification link" }).click();
      await expect(page.getByTestId("email-form-error")).toHaveText(/Wrong password/);
      await expectAccessible(page, "/profile/email, wrong password", { javaScriptEnabled });
      await page.getByLabel("Your password").fill(PASSWORD);
      await page.getByRole("button", { name: "Send verification link" }).click();
      await expect(page).toHaveURL(/\/profile\?requested=1$/);
      await expect(page.getByTestId("pending-request")).toBeVisible();
      await expectAccessible(page, "/profile, pending verify request", { javaScriptEnabled });

      await visit(page, "/email/resend", "Your email link");
      await expect(page.getByTestId("resend-cooldown")).toContainText(/from \d\d:\d\d:\d\d/);
      await expectAccessible(page, "/email/resend, cooldown running", { javaScriptEnabled });
      await db.sql(`UPDATE email_requests SET last_sent_at = now() - interval '61 seconds' WHERE new_email = $1 AND status = 'pending'`, [
        email,
      ]);
      await page.reload();
      await expect(page.getByTestId("resend")).toHaveText("Resend email");
      await expectAccessible(page, "/email/resend, cooldown over", { javaScriptEnabled });
      await page.getByTestId("resend").click();
      await expect(page.getByTestId("resend-page-notice")).toContainText("A new link is on its way");
      await expectAccessible(page, "/email/resend, resent", { javaScriptEnabled });
    });

    test.describe("an unverified address from signup", () => {
      test.use({ userOptions: { email: true } });

      test("verify link: valid, superseded, used, cancelled, expired (and a new link sent)", async ({
        browser,
        db,
        page,
        user,
        signIn,
        mailbox,
      }) => {
        const email = user.email!;
        const first = await mailbox.waitForEmail(email, { subject: VERIFY });
        await visit(page, linkIn(first), "Verify your email");
        await expectAccessible(page, "/email/confirm, valid verify link", { javaScriptEnabled });

        // A resend after the cooldown replaces the first link.
        const owner = await browser.newContext();
        await signIn(owner, user);
        await db.sql(`UPDATE email_requests SET last_sent_at = now() - interval '61 seconds' WHERE new_email = $1 AND status = 'pending'`, [
          email,
        ]);
        expect((await owner.request.post("/api/account/email/resend")).status()).toBe(202);
        const second = await mailbox.waitForEmail(email, { subject: VERIFY, count: 2 });
        // The resend's workflow step voids the first link around the time it sends the second.
        await expect
          .poll(async () => {
            await page.goto(linkIn(first));
            return page.getByTestId(/^link-/).getAttribute("data-testid");
          })
          .toBe("link-superseded");
        await expect(page.getByRole("heading", { name: "This link has been replaced", level: 1 })).toBeVisible();
        await expectAccessible(page, "/email/confirm, superseded link", { javaScriptEnabled });

        // The expired link's own page, and its "sent" state.
        await db.sql(`UPDATE email_links SET expires_at = now() - interval '1 minute' WHERE sent_to = $1`, [email]);
        await db.sql(`UPDATE email_requests SET last_sent_at = now() - interval '2 minutes' WHERE new_email = $1`, [email]);
        await visit(page, linkIn(second), "This link has expired");
        await expectAccessible(page, "/email/expired, expired link", { javaScriptEnabled });
        await page.getByRole("button", { name: "Send me a new link" }).click();
        await expect(page.getByTestId("new-link-result")).toBeVisible();
        await expectAccessible(page, "/email/expired, new link sent", { javaScriptEnabled });
        const third = await mailbox.waitForEmail(email, { subject: VERIFY, count: 3 });

        // Confirm the third through the API (another tab), then open it: used.
        expect((await page.request.post("/api/email/confirm", { data: { token: mailbox.tokenIn(third) } })).status()).toBe(200);
        await visit(page, linkIn(third), "This link has already been used");
        await expectAccessible(page, "/email/confirm, used link", { javaScriptEnabled });

        // A change of the now verified address, cancelled: its link (to the old address) says so.
        const other = uniqueEmail("a11y-cancel");
        expect((await owner.request.post("/api/account/email", { data: { email: other, password: PASSWORD } })).status()).toBe(202);
        const cancelled = await mailbox.waitForEmail(email, { subject: OLD_HOP });
        expect((await owner.request.delete("/api/account/email/request")).status()).toBe(200);
        await owner.close();
        await visit(page, linkIn(cancelled), "This request was cancelled");
        await expectAccessible(page, "/email/confirm, cancelled request", { javaScriptEnabled });
      });
    });

    test.describe("a change of a verified address", () => {
      test.use({ userOptions: { email: true, verified: true } });

      test("profile verified, change steps 1 and 2; old link signed out and signed in; new link", async ({
        browser,
        page,
        user,
        signIn,
        mailbox,
      }) => {
        await signIn(page.context(), user);
        await visit(page, "/profile", "Profile");
        await expect(page.getByTestId("email-state")).toHaveText("Verified");
        await expectAccessible(page, "/profile, verified email", { javaScriptEnabled });
        await visit(page, "/profile/email", "Change email");
        await expectAccessible(page, "/profile/email, change", { javaScriptEnabled });

        const newEmail = uniqueEmail("a11y-new");
        expect((await page.request.post("/api/account/email", { data: { email: newEmail, password: user.password } })).status()).toBe(202);
        const oldMessage = await mailbox.waitForEmail(user.email!, { subject: OLD_HOP });
        await visit(page, "/profile", "Profile");
        await expect(page.getByRole("heading", { name: "Email change: step 1 of 2" })).toBeVisible();
        await expectAccessible(page, "/profile, change step 1", { javaScriptEnabled });

        await visit(page, linkIn(oldMessage), "Confirm the email change");
        await expect(page.getByRole("button", { name: "Yes, change my email" })).toBeVisible();
        await expectAccessible(page, "/email/confirm, change-old signed in", { javaScriptEnabled });

        const stranger = await browser.newContext({ javaScriptEnabled });
        const strangerPage = await stranger.newPage();
        await visit(strangerPage, linkIn(oldMessage), "Confirm the email change");
        await expect(strangerPage.getByTestId("sign-in-to-approve")).toBeVisible();
        await expectAccessible(strangerPage, "/email/confirm, change-old signed out", { javaScriptEnabled });
        await stranger.close();

        expect((await page.request.post("/api/email/confirm", { data: { token: mailbox.tokenIn(oldMessage) } })).status()).toBe(200);
        const newMessage = await mailbox.waitForEmail(newEmail, { subject: NEW_HOP });
        await visit(page, "/profile", "Profile");
        await expect(page.getByRole("heading", { name: "Email change: step 2 of 2" })).toBeVisible();
        await expectAccessible(page, "/profile, change step 2", { javaScriptEnabled });

        await visit(page, linkIn(newMessage), "Confirm your new email");
        await expectAccessible(page, "/email/confirm, change-new link", { javaScriptEnabled });
        await page.getByRole("button", { name: "Confirm new email" }).click();
        await expect(page.getByTestId("confirm-outcome")).toContainText("changed");
        await expectAccessible(page, "/email/confirmed, changed (after a real confirm)", { javaScriptEnabled });
      });
    });
  });
}
