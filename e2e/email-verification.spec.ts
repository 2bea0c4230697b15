import {
  PASSWORD,
  SUBJECTS,
  confirmLink,
  expect,
  linkIn,
  openMoreOptions,
  submitEmailForm,
  test,
  uniqueEmail,
  uniquePhone,
} from "./support/fixtures";

const { verify: VERIFY, linked: LINKED } = SUBJECTS;

test.describe("email verification (UC02, UC03, UC05–UC08)", () => {
  test("an email given at signup is verified from the link in the inbox", async ({ page, accounts, mailbox }) => {
    const phone = uniquePhone();
    const email = uniqueEmail("signup");
    accounts.remember(phone);
    await page.goto("/signup");
    await page.getByLabel("Mobile number").fill(phone);
    await page.getByLabel("Full name").fill("Sunita Karki");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Email (optional)").fill(email);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("email-state")).toHaveText("Not verified");
    await expect(page.getByTestId("pending-status")).toContainText("We sent a verification link to s***@example.test");

    const message = await mailbox.waitForEmail(email, { subject: VERIFY });
    await confirmLink(page, linkIn(message));
    await expect(page.getByTestId("confirm-outcome")).toContainText("verified");

    await page.goto("/profile");
    await expect(page.getByTestId("email-state")).toHaveText("Verified");
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
    await mailbox.waitForEmail(email, { subject: LINKED });
  });

  test.describe("with an unverified email from signup", () => {
    test.use({ userOptions: { email: true } });

    test("opening a link (as a mail scanner does) changes nothing; confirming afterwards works", async ({
      signedInPage: page,
      user,
      request,
      mailbox,
    }) => {
      const link = linkIn(await mailbox.waitForEmail(user.email!, { subject: VERIFY }));

      for (let i = 0; i < 3; i += 1) {
        const scanned = await request.get(link);
        expect(scanned.status()).toBe(200);
        expect(await scanned.text()).toContain("Confirm my email");
      }
      await page.reload();
      await expect(page.getByTestId("email-state")).toHaveText("Not verified");

      await confirmLink(page, link);
      await expect(page.getByTestId("confirm-outcome")).toContainText("verified");
      await page.goto("/profile");
      await expect(page.getByTestId("email-state")).toHaveText("Verified");
    });

    test("20 concurrent confirms of one token: exactly one wins", async ({ user, request, mailbox }) => {
      const token = mailbox.tokenIn(await mailbox.waitForEmail(user.email!, { subject: VERIFY }));
      const responses = await Promise.all(Array.from({ length: 20 }, () => request.post("/api/email/confirm", { data: { token } })));
      const statuses = responses.map((r) => r.status()).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      for (const response of responses.filter((r) => r.status() === 409)) {
        expect((await response.json()).error.code).toBe("LINK_USED");
      }
    });

    test("a token is useless after use; garbage tokens are invalid", async ({ user, request, mailbox }) => {
      const token = mailbox.tokenIn(await mailbox.waitForEmail(user.email!, { subject: VERIFY }));
      expect((await request.post("/api/email/confirm", { data: { token } })).status()).toBe(200);
      const again = await request.post("/api/email/confirm", { data: { token } });
      expect(again.status()).toBe(409);
      expect((await again.json()).error.code).toBe("LINK_USED");

      for (const bad of ["", "abc", "x".repeat(43), "../../etc"]) {
        const response = await request.post("/api/email/confirm", { data: { token: bad } });
        expect(response.status()).toBe(404);
        expect((await response.json()).error.code).toBe("LINK_INVALID");
      }
      const page = await request.get("/email/confirm?token=not-a-real-token");
      expect(await page.text()).toContain("This link is not valid");
    });

    test("a token is useless after expiry", async ({ db, user, request, mailbox }) => {
      const token = mailbox.tokenIn(await mailbox.waitForEmail(user.email!, { subject: VERIFY }));
      // Expiry is tested by moving it, never by waiting for it.
      await db.sql(`UPDATE email_links SET expires_at = now() - interval '1 second' WHERE sent_to = $1`, [user.email]);
      const late = await request.post("/api/email/confirm", { data: { token } });
      expect(late.status()).toBe(410);
      expect((await late.json()).error.code).toBe("LINK_EXPIRED");
    });
  });

  test("an email added later from the profile is verified the same way", async ({ signedInPage: page, user, mailbox }) => {
    const email = uniqueEmail("added");
    await submitEmailForm(page, { email, password: user.password });
    await expect(page.getByTestId("pending-status")).toContainText("a***@example.test");
    await expect(page.getByTestId("email-state")).toHaveText("Not verified");

    const link = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY }));
    const confirmPage = await page.context().newPage();
    await confirmLink(confirmPage, link);
    // The profile, left open, catches up without a reload.
    await expect(page.getByTestId("email-state")).toHaveText("Verified", { timeout: 15_000 });
  });

  test.describe("with a verified email", () => {
    test.use({ userOptions: { email: true, verified: true } });

    test("each invalid address gets its own message", async ({ signedInPage: page, user, accounts }) => {
      const other = await accounts.create({ email: uniqueEmail("taken"), verified: true });

      await submitEmailForm(page, { email: "not-an-email", password: user.password, action: "Change email" });
      await expect(page.getByText("Enter a valid email address, e.g. name@example.com.")).toBeVisible();

      await page.getByLabel("New email address").fill(user.email!.toUpperCase());
      await page.getByRole("button", { name: "Start change" }).click();
      await expect(page.getByText("This is already your email address.")).toBeVisible();

      await page.getByLabel("New email address").fill(other.email!);
      await page.getByRole("button", { name: "Start change" }).click();
      await expect(page.getByText("This email address is linked to another account.")).toBeVisible();
    });
  });

  test("an expired link offers a new one, which works", async ({ db, page, accounts, mailbox }) => {
    const email = uniqueEmail("expired");
    await accounts.create({ email });
    const oldLink = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY }));
    // Expiry is tested by moving it, never by waiting for it.
    await db.sql(`UPDATE email_links SET expires_at = now() - interval '1 minute' WHERE sent_to = $1`, [email]);
    await db.sql(
      `UPDATE email_requests SET expires_at = now() - interval '1 minute', hop_expires_at = now() - interval '1 minute' WHERE new_email = $1`,
      [email],
    );

    await page.goto(oldLink);
    await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
    await page.getByRole("button", { name: "Send me a new link" }).click();
    await expect(page.getByTestId("new-link-result")).toContainText("We sent a new link to e***@example.test");

    const newLink = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY, count: 2 }));
    expect(newLink).not.toBe(oldLink);
    await confirmLink(page, newLink);
    await expect(page.getByTestId("confirm-outcome")).toContainText("verified");
  });

  test("resend shows a live countdown, sends a new link and voids the old one", async ({ db, signedInPage: page, user, mailbox }) => {
    const email = uniqueEmail("resend");
    await submitEmailForm(page, { email, password: user.password });
    const firstLink = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY }));

    const resend = page.getByTestId("resend");
    await expect(resend).toBeDisabled();
    await expect(resend).toHaveText(/Resend in \d+ s/);
    const before = Number((await resend.textContent())!.match(/\d+/)![0]);
    await expect.poll(async () => Number((await resend.textContent())!.match(/\d+/)?.[0] ?? 0)).toBeLessThan(before);

    // Skip the rest of the cooldown rather than wait it out.
    await db.sql(`UPDATE email_requests SET last_sent_at = now() - interval '61 seconds' WHERE new_email = $1 AND status = 'pending'`, [
      email,
    ]);
    await page.reload();
    await expect(resend).toHaveText("Resend email");
    await resend.click();
    await expect(page.getByText("A new link is on its way.")).toBeVisible();
    await expect(resend).toHaveText(/Resend in \d+ s/);

    const secondLink = linkIn(await mailbox.waitForEmail(email, { subject: VERIFY, count: 2 }));
    expect(secondLink).not.toBe(firstLink);
    // The old link is voided in the transaction that records the send, just
    // after the SMTP server accepted the new email: the email can arrive a
    // moment before that commit, so the old link is opened until it says so.
    const replaced = page.getByRole("heading", { name: "This link has been replaced" });
    await expect
      .poll(async () => {
        await page.goto(firstLink);
        return replaced.isVisible();
      })
      .toBe(true);
    await confirmLink(page, secondLink);
  });

  test("a wrong password says how many attempts are left, then the account locks", async ({ signedInPage: page, user }) => {
    await submitEmailForm(page, { email: uniqueEmail("locked"), password: "wrong-password-1" });
    await expect(page.getByTestId("email-form-error")).toHaveText(/Wrong password\. 4 attempts left/);
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      await page.getByLabel("Your password").fill(`wrong-password-${attempt}`);
      await page.getByRole("button", { name: "Send verification link" }).click();
      await expect(page.getByTestId("email-form-error")).toHaveText(attempt < 5 ? new RegExp(`${5 - attempt} attempts? left`) : /locked/);
    }
    await page.getByLabel("Your password").fill(user.password);
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page.getByTestId("email-form-error")).toHaveText(/locked; try again in 15 minutes/);
  });

  test("cancelling a pending request kills its link", async ({ signedInPage: page, user, request, mailbox }) => {
    const email = uniqueEmail("cancel");
    await submitEmailForm(page, { email, password: user.password });
    const message = await mailbox.waitForEmail(email, { subject: VERIFY });
    await page.getByRole("button", { name: "Cancel request" }).click();
    await expect(page.getByTestId("resend-page-notice")).toContainText("cancelled");
    await page.goto("/profile");
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
    await expect(page.getByTestId("profile-email")).toContainText("No email added");

    await page.goto(linkIn(message));
    await expect(page.getByRole("heading", { name: "This request was cancelled" })).toBeVisible();
    const response = await request.post("/api/email/confirm", { data: { token: mailbox.tokenIn(message) } });
    expect(response.status()).toBe(410);
    expect((await response.json()).error.code).toBe("LINK_CANCELLED");
  });

  test("offline, the form keeps what was typed and says to check the connection", async ({ db, signedInPage: page, user, mailbox }) => {
    const email = uniqueEmail("offline");
    // The form is a page of its own (/profile/email): the connection drops once it is open.
    await openMoreOptions(page);
    await page.getByRole("link", { name: "Add email" }).click();
    await page.getByLabel("Email address", { exact: true }).fill(email);
    await page.getByLabel("Your password").fill(user.password);
    await page.context().setOffline(true);
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page.getByTestId("email-form-error")).toHaveText(/Check your connection and try again/);
    await expect(page.getByLabel("Email address", { exact: true })).toHaveValue(email);
    await expect(page.getByLabel("Your password")).toHaveValue(user.password);

    await page.context().setOffline(false);
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page.getByTestId("pending-request")).toBeVisible();
    expect((await mailbox.list(email)).length).toBeLessThanOrEqual(1);
    expect(await db.sql("SELECT 1 FROM email_requests WHERE new_email = $1", [email])).toHaveLength(1);
  });

  test(
    "the workflow expires an unconfirmed request when the engine's clock passes 24 hours",
    // Moving the engine's clock wakes every waiting workflow, other tests' too.
    { tag: "@global-state" },
    async ({ engine, db, accounts, mailbox }) => {
      const email = uniqueEmail("clock");
      await accounts.create({ email });
      await mailbox.waitForEmail(email, { subject: VERIFY });
      const status = async () =>
        (await db.sql<{ status: string }>(`SELECT status FROM email_requests WHERE new_email = $1`, [email]))[0]?.status;
      await expect.poll(status).toBe("pending");
      await db.sql(
        `UPDATE email_requests SET expires_at = now() - interval '1 second', hop_expires_at = now() - interval '1 second' WHERE new_email = $1`,
        [email],
      );
      await engine.advanceClock(24 * 60 * 60 * 1000 + 60_000);
      await expect.poll(status, { timeout: 20_000 }).toBe("expired");
      expect((await mailbox.list(email)).filter((m) => LINKED.test(m.subject))).toHaveLength(0);
    },
  );
});
