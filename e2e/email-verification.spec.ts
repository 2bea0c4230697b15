import { expect, test } from "@playwright/test";
import { sql } from "./support/database";
import { engine } from "./support/engine";
import { linkIn, listEmails, waitForEmail } from "./support/mailbox";
import { confirmLink, submitEmailForm } from "./support/profile";
import { PASSWORD, createUser, signIn, uniqueEmail, uniquePhone } from "./support/users";

const VERIFY = /Confirm your email address/;
const LINKED = /verified and linked/;

test.describe("email verification (UC02, UC03, UC05–UC08)", () => {
  test("an email given at signup is verified from the link in the inbox", async ({ page }) => {
    const email = uniqueEmail("signup");
    await page.goto("/signup");
    await page.getByLabel("Mobile number").fill(uniquePhone());
    await page.getByLabel("Full name").fill("Sunita Karki");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Email (optional)").fill(email);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("email-state")).toHaveText("Not verified");
    await expect(page.getByTestId("pending-status")).toContainText("We sent a verification link to s***@example.test");

    const message = await waitForEmail(email, { subject: VERIFY });
    await confirmLink(page, linkIn(message));
    await expect(page.getByTestId("confirm-outcome")).toContainText("verified");

    await page.goto("/profile");
    await expect(page.getByTestId("email-state")).toHaveText("Verified");
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
    await waitForEmail(email, { subject: LINKED });
  });

  test("opening a link (as a mail scanner does) changes nothing; confirming afterwards works", async ({ page, request }) => {
    const email = uniqueEmail("scanner");
    await createUser(request, { email });
    const link = linkIn(await waitForEmail(email, { subject: VERIFY }));

    for (let i = 0; i < 3; i += 1) {
      const scanned = await request.get(link);
      expect(scanned.status()).toBe(200);
      expect(await scanned.text()).toContain("Confirm my email");
    }
    const [row] = await sql<{ email_verified_at: Date | null }>("SELECT email_verified_at FROM users WHERE email = $1", [email]);
    expect(row!.email_verified_at).toBeNull();

    await confirmLink(page, link);
    await expect(page.getByTestId("confirm-outcome")).toContainText("verified");
  });

  test("an email added later from the profile is verified the same way", async ({ page, request }) => {
    const user = await createUser(request);
    const email = uniqueEmail("added");
    await signIn(page, user);
    await submitEmailForm(page, { email, password: user.password });
    await expect(page.getByTestId("pending-status")).toContainText("a***@example.test");
    await expect(page.getByTestId("email-state")).toHaveText("Not verified");

    const link = linkIn(await waitForEmail(email, { subject: VERIFY }));
    const confirmPage = await page.context().newPage();
    await confirmLink(confirmPage, link);
    // The profile, left open, catches up without a reload.
    await expect(page.getByTestId("email-state")).toHaveText("Verified", { timeout: 15_000 });
  });

  test("each invalid address gets its own message", async ({ page, request }) => {
    const other = await createUser(request, { email: uniqueEmail("taken"), verified: true });
    const ownEmail = uniqueEmail("own");
    const user = await createUser(request, { email: ownEmail, verified: true });
    await signIn(page, user);

    await submitEmailForm(page, { email: "not-an-email", password: user.password, action: "Change email" });
    await expect(page.getByText("Enter a valid email address, e.g. name@example.com.")).toBeVisible();

    await page.getByLabel("New email address").fill(ownEmail.toUpperCase());
    await page.getByRole("button", { name: "Start change" }).click();
    await expect(page.getByText("This is already your email address.")).toBeVisible();

    await page.getByLabel("New email address").fill(other.email!);
    await page.getByRole("button", { name: "Start change" }).click();
    await expect(page.getByText("This email address is linked to another account.")).toBeVisible();
  });

  test("an expired link offers a new one, which works", async ({ page, request }) => {
    const email = uniqueEmail("expired");
    await createUser(request, { email });
    const oldLink = linkIn(await waitForEmail(email, { subject: VERIFY }));
    // Expiry is tested by moving it, never by waiting for it.
    await sql(`UPDATE email_links SET expires_at = now() - interval '1 minute' WHERE sent_to = $1`, [email]);
    await sql(`UPDATE email_requests SET expires_at = now() - interval '1 minute', hop_expires_at = now() - interval '1 minute' WHERE new_email = $1`, [email]);

    await page.goto(oldLink);
    await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
    await page.getByRole("button", { name: "Send me a new link" }).click();
    await expect(page.getByTestId("new-link-result")).toContainText("We sent a new link to e***@example.test");

    const fresh = await waitForEmail(email, { subject: VERIFY, count: 2 });
    const newLink = linkIn(fresh);
    expect(newLink).not.toBe(oldLink);
    await confirmLink(page, newLink);
    await expect(page.getByTestId("confirm-outcome")).toContainText("verified");
  });

  test("resend shows a live countdown, sends a new link and voids the old one", async ({ page, request }) => {
    const user = await createUser(request);
    const email = uniqueEmail("resend");
    await signIn(page, user);
    await submitEmailForm(page, { email, password: user.password });
    const firstLink = linkIn(await waitForEmail(email, { subject: VERIFY }));

    const resend = page.getByTestId("resend");
    await expect(resend).toBeDisabled();
    await expect(resend).toHaveText(/Resend in \d+ s/);
    const before = Number((await resend.textContent())!.match(/\d+/)![0]);
    await expect.poll(async () => Number((await resend.textContent())!.match(/\d+/)?.[0] ?? 0)).toBeLessThan(before);

    // Skip the rest of the cooldown rather than wait it out.
    await sql(`UPDATE email_requests SET last_sent_at = now() - interval '61 seconds' WHERE new_email = $1 AND status = 'pending'`, [email]);
    await page.reload();
    await expect(resend).toHaveText("Resend email");
    await resend.click();
    await expect(page.getByText("A new link is on its way.")).toBeVisible();
    await expect(resend).toHaveText(/Resend in \d+ s/);

    const secondLink = linkIn(await waitForEmail(email, { subject: VERIFY, count: 2 }));
    expect(secondLink).not.toBe(firstLink);
    await page.goto(firstLink);
    await expect(page.getByRole("heading", { name: "This link has been replaced" })).toBeVisible();
    await confirmLink(page, secondLink);
  });

  test("a wrong password says how many attempts are left, then the account locks", async ({ page, request }) => {
    const user = await createUser(request);
    await signIn(page, user);
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

  test("cancelling a pending request kills its link", async ({ page, request }) => {
    const user = await createUser(request);
    const email = uniqueEmail("cancel");
    await signIn(page, user);
    await submitEmailForm(page, { email, password: user.password });
    const link = linkIn(await waitForEmail(email, { subject: VERIFY }));
    await page.getByRole("button", { name: "Cancel request" }).click();
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
    await expect(page.getByTestId("profile-email")).toContainText("No email added");

    await page.goto(link);
    await expect(page.getByRole("heading", { name: "This request was cancelled" })).toBeVisible();
    const response = await request.post("/api/email/confirm", { data: { token: new URL(link).searchParams.get("token") } });
    expect(response.status()).toBe(410);
    expect((await response.json()).error.code).toBe("LINK_CANCELLED");
  });

  test("offline, the form keeps what was typed and says to check the connection", async ({ page, request }) => {
    const user = await createUser(request);
    const email = uniqueEmail("offline");
    await signIn(page, user);
    await page.context().setOffline(true);
    await submitEmailForm(page, { email, password: user.password });
    await expect(page.getByTestId("email-form-error")).toHaveText(/Check your connection and try again/);
    await expect(page.getByLabel("Email address", { exact: true })).toHaveValue(email);
    await expect(page.getByLabel("Your password")).toHaveValue(user.password);

    await page.context().setOffline(false);
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page.getByTestId("pending-request")).toBeVisible();
    expect(await listEmails(email).then((m) => m.length)).toBeLessThanOrEqual(1);
    expect(await sql("SELECT 1 FROM email_requests WHERE new_email = $1", [email])).toHaveLength(1);
  });

  test("20 concurrent confirms of one token: exactly one wins", async ({ request }) => {
    const email = uniqueEmail("race");
    await createUser(request, { email });
    const token = new URL(linkIn(await waitForEmail(email, { subject: VERIFY }))).searchParams.get("token");
    const responses = await Promise.all(Array.from({ length: 20 }, () => request.post("/api/email/confirm", { data: { token } })));
    const statuses = responses.map((r) => r.status()).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const response of responses.filter((r) => r.status() === 409)) {
      expect((await response.json()).error.code).toBe("LINK_USED");
    }
  });

  test("a token is useless after use and after expiry; garbage tokens are invalid", async ({ request }) => {
    const email = uniqueEmail("useless");
    await createUser(request, { email });
    const token = new URL(linkIn(await waitForEmail(email, { subject: VERIFY }))).searchParams.get("token");
    expect((await request.post("/api/email/confirm", { data: { token } })).status()).toBe(200);
    expect((await (await request.post("/api/email/confirm", { data: { token } })).json()).error.code).toBe("LINK_USED");

    const email2 = uniqueEmail("late");
    await createUser(request, { email: email2 });
    const token2 = new URL(linkIn(await waitForEmail(email2, { subject: VERIFY }))).searchParams.get("token");
    await sql(`UPDATE email_links SET expires_at = now() - interval '1 second' WHERE sent_to = $1`, [email2]);
    const late = await request.post("/api/email/confirm", { data: { token: token2 } });
    expect(late.status()).toBe(410);
    expect((await late.json()).error.code).toBe("LINK_EXPIRED");

    for (const bad of ["", "abc", "x".repeat(43), "../../etc"]) {
      const response = await request.post("/api/email/confirm", { data: { token: bad } });
      expect(response.status()).toBe(404);
      expect((await response.json()).error.code).toBe("LINK_INVALID");
    }
    const page = await request.get("/email/confirm?token=not-a-real-token");
    expect(await page.text()).toContain("This link is not valid");
  });

  test("the workflow expires an unconfirmed request when the engine's clock passes 24 hours", async ({ request }) => {
    const email = uniqueEmail("clock");
    await createUser(request, { email });
    await waitForEmail(email, { subject: VERIFY });
    await expect
      .poll(async () => (await sql<{ status: string }>(`SELECT status FROM email_requests WHERE new_email = $1`, [email]))[0]?.status)
      .toBe("pending");
    await sql(`UPDATE email_requests SET expires_at = now() - interval '1 second', hop_expires_at = now() - interval '1 second' WHERE new_email = $1`, [email]);
    await engine.advanceClock(24 * 60 * 60 * 1000 + 60_000);
    await expect
      .poll(async () => (await sql<{ status: string }>(`SELECT status FROM email_requests WHERE new_email = $1`, [email]))[0]?.status, {
        timeout: 20_000,
      })
      .toBe("expired");
    expect((await listEmails(email)).filter((m) => LINKED.test(m.subject))).toHaveLength(0);
  });
});
