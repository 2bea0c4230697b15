import { expect, test } from "@playwright/test";
import { sql } from "./support/database";
import { INBOX_URL } from "./support/env";
import { linkIn, listEmails, waitForEmail } from "./support/mailbox";
import { confirmLink, submitEmailForm } from "./support/profile";
import { createUser, signIn, uniqueEmail } from "./support/users";

const OLD_HOP = /Confirm you want to change your email/;
const NEW_HOP = /Confirm your new email address/;
const CHANGED = /email was changed/;
const LINKED = /verified and linked/;

async function verifiedUser(request: Parameters<typeof createUser>[0], label: string) {
  const email = uniqueEmail(label);
  const user = await createUser(request, { email, verified: true });
  return { ...user, email };
}

test.describe("changing a verified email in two hops (UC04)", () => {
  test("old link, then new link: the change applies and both addresses are told", async ({ page, request }) => {
    const user = await verifiedUser(request, "before");
    const newEmail = uniqueEmail("after");
    await signIn(page, user);
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    await expect(page.getByRole("heading", { name: "Email change: step 1 of 2" })).toBeVisible();
    await expect(page.getByTestId("pending-status")).toContainText(`${user.email[0]}***@example.test`);

    const oldMessage = await waitForEmail(user.email, { subject: OLD_HOP });
    expect(oldMessage.text).toContain("a***@example.test");
    // The new address hears nothing before the old one confirms.
    expect(await listEmails(newEmail)).toHaveLength(0);

    const other = await page.context().browser()!.newContext();
    const phone = await other.newPage();
    await confirmLink(phone, linkIn(oldMessage), /Yes, change my email/);
    await expect(phone.getByTestId("confirm-outcome")).toContainText("Now check a***@example.test");

    // The profile, left open on the first device, moves to step 2 by itself.
    await expect(page.getByRole("heading", { name: "Email change: step 2 of 2" })).toBeVisible({ timeout: 15_000 });
    const newMessage = await waitForEmail(newEmail, { subject: NEW_HOP });
    await confirmLink(page, linkIn(newMessage), /Confirm new email/);
    await expect(page.getByTestId("confirm-outcome")).toContainText("changed");

    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toContainText(newEmail);
    await expect(page.getByTestId("email-state")).toHaveText("Verified");
    await waitForEmail(user.email, { subject: CHANGED });
    await waitForEmail(newEmail, { subject: LINKED });
    await other.close();
  });

  test("opening either link changes nothing until Confirm is pressed", async ({ page, request }) => {
    const user = await verifiedUser(request, "scan");
    const newEmail = uniqueEmail("scan-new");
    await signIn(page, user);
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    const oldLink = linkIn(await waitForEmail(user.email, { subject: OLD_HOP }));
    expect((await request.get(oldLink)).status()).toBe(200);
    expect((await request.get(oldLink)).status()).toBe(200);
    expect((await sql<{ current_hop: string }>("SELECT current_hop FROM email_requests WHERE new_email = $1", [newEmail]))[0]!.current_hop).toBe("old");
    await confirmLink(page, oldLink, /Yes, change my email/);

    const newLink = linkIn(await waitForEmail(newEmail, { subject: NEW_HOP }));
    expect((await request.get(newLink)).status()).toBe(200);
    const [row] = await sql<{ email: string }>("SELECT email FROM users WHERE phone = $1", [`+977${user.phone}`]);
    expect(row!.email).toBe(user.email);
    await confirmLink(page, newLink, /Confirm new email/);
  });

  test("cancel mid-way: the pending new link dies and the old address stays", async ({ page, request }) => {
    const user = await verifiedUser(request, "cancel");
    const newEmail = uniqueEmail("cancel-new");
    await signIn(page, user);
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    await confirmLink(page, linkIn(await waitForEmail(user.email, { subject: OLD_HOP })), /Yes, change my email/);
    const newLink = linkIn(await waitForEmail(newEmail, { subject: NEW_HOP }));

    await page.goto("/profile");
    await page.getByRole("button", { name: "Cancel request" }).click();
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
    await expect(page.getByTestId("profile-email")).toContainText(user.email);

    await page.goto(newLink);
    await expect(page.getByRole("heading", { name: "This request was cancelled" })).toBeVisible();
  });

  test("a new change supersedes the pending one", async ({ page, request }) => {
    const user = await verifiedUser(request, "super");
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await signIn(page, user);
    await submitEmailForm(page, { email: first, password: user.password, action: "Change email" });
    await waitForEmail(user.email, { subject: OLD_HOP });
    const firstLink = linkIn((await listEmails(user.email))[0]!);

    await submitEmailForm(page, { email: second, password: user.password, action: "Change email" });
    await expect(page.getByTestId("pending-status")).toContainText(second);
    await waitForEmail(user.email, { subject: OLD_HOP, count: 2 });
    const secondLink = linkIn((await listEmails(user.email))[0]!);
    expect(secondLink).not.toBe(firstLink);

    await page.goto(firstLink);
    await expect(page.getByRole("heading", { name: "This link has been replaced" })).toBeVisible();
    await confirmLink(page, secondLink, /Yes, change my email/);
    await waitForEmail(second, { subject: NEW_HOP });
    expect(await listEmails(first)).toHaveLength(0);
  });

  test("an expired hop offers a new link to the same address", async ({ page, request }) => {
    const user = await verifiedUser(request, "hop");
    const newEmail = uniqueEmail("hop-new");
    await signIn(page, user);
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    const oldLink = linkIn(await waitForEmail(user.email, { subject: OLD_HOP }));
    await sql(`UPDATE email_links SET expires_at = now() - interval '1 minute' WHERE sent_to = $1`, [user.email]);
    await sql(`UPDATE email_requests SET hop_expires_at = now() - interval '1 minute', last_sent_at = now() - interval '2 minutes' WHERE new_email = $1`, [newEmail]);

    await page.goto(oldLink);
    await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
    await page.getByRole("button", { name: "Send me a new link" }).click();
    await expect(page.getByTestId("new-link-result")).toContainText(`${user.email[0]}***@example.test`);
    const fresh = linkIn(await waitForEmail(user.email, { subject: OLD_HOP, count: 2 }));
    expect(fresh).not.toBe(oldLink);
    await confirmLink(page, fresh, /Yes, change my email/);
    await waitForEmail(newEmail, { subject: NEW_HOP });
  });

  test("if another account takes the new address before the last confirm, nothing changes", async ({ page, request }) => {
    const user = await verifiedUser(request, "race");
    const contested = uniqueEmail("contested");
    await signIn(page, user);
    await submitEmailForm(page, { email: contested, password: user.password, action: "Change email" });
    await confirmLink(page, linkIn(await waitForEmail(user.email, { subject: OLD_HOP })), /Yes, change my email/);
    const newLink = linkIn(await waitForEmail(contested, { subject: NEW_HOP }));

    await createUser(request, { email: contested, verified: true });

    await page.goto(newLink);
    await page.getByRole("button", { name: /Confirm new email/ }).click();
    await expect(page.getByTestId("confirm-error")).toContainText("Another account started using this address");
    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toContainText(user.email);
    await expect(page.getByTestId("pending-request")).toHaveCount(0);
  });

  test("after the change, other sessions are signed out and the confirming one is not", async ({ browser, request }) => {
    const user = await verifiedUser(request, "sessions");
    const newEmail = uniqueEmail("sessions-new");
    const current = await browser.newContext();
    const elsewhere = await browser.newContext();
    const page = await current.newPage();
    const otherPage = await elsewhere.newPage();
    await signIn(page, user);
    await signIn(otherPage, user);

    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    await confirmLink(page, linkIn(await waitForEmail(user.email, { subject: OLD_HOP })), /Yes, change my email/);
    await confirmLink(page, linkIn(await waitForEmail(newEmail, { subject: NEW_HOP })), /Confirm new email/);

    await page.goto("/profile");
    await expect(page.getByTestId("profile-email")).toContainText(newEmail);
    await otherPage.goto("/profile");
    await expect(otherPage).toHaveURL(/\/signin/);
    expect((await otherPage.request.get("/api/account")).status()).toBe(401);
    await current.close();
    await elsewhere.close();
  });

  test("with SMTP down, the hop email is retried and arrives exactly once when it is back", async ({ page, request }) => {
    const user = await verifiedUser(request, "smtp");
    const newEmail = uniqueEmail("smtp-new");
    await signIn(page, user);
    await fetch(`${INBOX_URL}/api/smtp/down`, { method: "POST" });
    try {
      await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
      await expect(page.getByTestId("pending-request")).toBeVisible();
      await page.waitForTimeout(3000);
      expect((await listEmails(user.email)).filter((m) => OLD_HOP.test(m.subject))).toHaveLength(0);
    } finally {
      await fetch(`${INBOX_URL}/api/smtp/up`, { method: "POST" });
    }
    await waitForEmail(user.email, { subject: OLD_HOP, timeoutMs: 60_000 });
    await page.waitForTimeout(3000);
    expect((await listEmails(user.email)).filter((m) => OLD_HOP.test(m.subject))).toHaveLength(1);
  });
});
