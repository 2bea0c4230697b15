import type { Page } from "@playwright/test";
import type { Accounts } from "./support/accounts";
import { advanceClockTo, engineNow, waitForOlderRunsToEnd } from "./support/engine";
import { SUBJECTS, confirmLink, expect, linkIn, submitEmailForm, test, uniqueEmail, type TestUser } from "./support/fixtures";
import {
  addTestMoney,
  minutesAfter,
  nepalDisplay,
  nepalLocal,
  scheduleDetail,
  schedulePayment,
  submitScheduleForm,
  waitForOccurrence,
  walletOf,
} from "./support/payments";

// Issue 14: the wallet and scheduled payment pages, and scheduled payments
// end to end. The app's now() follows the engine's clock in the e2e stack
// (TEST_CLOCK_URL), so every time here is read from the engine, never assumed
// to be the real one; the tests that move that clock are @global-state (they
// move every other test's time too) and run on their own, one at a time.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const RECEIPT = /You paid Rs\. /;
const FAILED = /did not go through/;

/** The pay-now form, filled and submitted on /wallet. */
async function payNow(page: Page, fields: { toPhone: string; rupees: string; note?: string; password: string }) {
  const form = page.getByRole("form", { name: "Pay now" });
  await form.getByLabel("Recipient's mobile number").fill(fields.toPhone);
  await form.getByLabel("Amount (Rs.)").fill(fields.rupees);
  if (fields.note) await form.getByLabel("Note (optional)").fill(fields.note);
  await form.getByLabel("Your password").fill(fields.password);
  await form.getByRole("button", { name: "Pay now" }).click();
}

test.describe("the pages", () => {
  test("sign-in is required", async ({ page }) => {
    for (const path of ["/wallet", "/payments", "/payments/00000000-0000-4000-8000-000000000000"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
      expect(decodeURIComponent(page.url())).toContain(`callbackUrl=${path}`);
    }
  });

  test("the profile links to the wallet and the scheduled payments, they link to each other, and none is cached", async ({
    signedInPage: page,
  }) => {
    await page.getByRole("link", { name: "Wallet" }).last().click();
    await expect(page.getByRole("heading", { name: "Wallet", level: 1 })).toBeVisible();
    await expect(page.getByTestId("wallet-balance")).toHaveText("Rs. 0.00");
    await page.getByRole("link", { name: "Scheduled payments" }).click();
    await expect(page.getByRole("heading", { name: "Scheduled payments", level: 1 })).toBeVisible();
    await expect(page.getByText("No scheduled payments yet.")).toBeVisible();
    await page.getByRole("link", { name: "Wallet" }).last().click();
    await expect(page).toHaveURL(/\/wallet$/);
    for (const path of ["/wallet", "/payments"]) {
      const response = await page.goto(path);
      expect(response?.headers()["cache-control"]).toContain("no-store");
    }
  });

  test("a malformed id and someone else's schedule are both not found", async ({
    signedInPage: page,
    user,
    accounts,
    engine,
    browser,
    signIn,
  }) => {
    const recipient = await accounts.create({ fullName: "Bikash Rai" });
    const id = await schedulePayment(page, {
      toPhone: recipient.phone,
      rupees: "100",
      firstRunAt: nepalLocal(minutesAfter(await engineNow(engine), 30)),
      password: user.password,
    });
    for (const path of ["/payments/not-a-uuid", "/payments/00000000-0000-4000-8000-000000000000"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
    }
    const other = await browser.newContext();
    await signIn(other, recipient);
    const otherPage = await other.newPage();
    expect((await otherPage.goto(`/payments/${id}`))?.status()).toBe(404);
    await other.close();
    // Cancelled here so that no later clock move pays it.
    await page.goto(`/payments/${id}`);
    await page.getByRole("button", { name: "Cancel this scheduled payment" }).click();
    await expect(page.getByTestId("schedule-status")).toHaveText("Cancelled");
  });
});

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("pay now: a bad amount is a field error with everything else kept; then the payment goes through once", async ({
    signedInPage: page,
    user,
    accounts,
  }) => {
    const recipient = await accounts.create({ fullName: "Sunita Magar" });
    await addTestMoney(page, "1,000");
    await expect(page.getByTestId("wallet-balance")).toHaveText("Rs. 1,000.00");

    await payNow(page, { toPhone: recipient.phone, rupees: "12.345", note: "Momo", password: user.password });
    const form = page.getByRole("form", { name: "Pay now" });
    await expect(form.getByText("Enter the amount in rupees, e.g. 1,250.50.")).toBeVisible();
    await expect(form.getByLabel("Amount (Rs.)")).toBeFocused();
    await expect(form.getByLabel("Amount (Rs.)")).toHaveValue("12.345");
    await expect(form.getByLabel("Recipient's mobile number")).toHaveValue(recipient.phone);
    await expect(form.getByLabel("Note (optional)")).toHaveValue("Momo");
    await expect(form.getByLabel("Your password")).toHaveValue("");

    await payNow(page, { toPhone: user.phone, rupees: "50", password: user.password });
    await expect(form.getByText("This is your own number.")).toBeVisible();

    await payNow(page, { toPhone: recipient.phone, rupees: "250.50", note: "Momo", password: user.password });
    await expect(page).toHaveURL(/\/wallet\?paid=/);
    await expect(page.getByTestId("payment-done")).toHaveText("You paid Rs. 250.50 to Sunita Magar.");
    await expect(page.getByTestId("wallet-balance")).toHaveText("Rs. 749.50");
    const entry = page.getByTestId("wallet-entry").first();
    await expect(entry).toContainText("Sent");
    await expect(entry).toContainText("Rs. 250.50");
    await expect(entry).toContainText(`Sunita Magar (${recipient.phone.slice(0, 2)}******${recipient.phone.slice(-2)})`);
    await expect(entry).toContainText("Momo");
    await expect(entry).toContainText(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2} NPT/);
    expect((await walletOf(page)).entries.filter((row) => row.kind === "transfer")).toHaveLength(1);
  });

  test("schedule: each error under its field with what was typed kept, then the schedule and its next run in Nepal time", async ({
    signedInPage: page,
    user,
    accounts,
    engine,
  }) => {
    const recipient = await accounts.create({ fullName: "Ramesh Shrestha" });
    const now = await engineNow(engine);

    // Too soon (the lead time is checked by the server) and a bad amount.
    await submitScheduleForm(page, {
      toPhone: recipient.phone,
      rupees: "abc",
      firstRunAt: nepalLocal(minutesAfter(now, 30)),
      repeat: "monthly",
      password: user.password,
    });
    const form = page.getByRole("form", { name: "Schedule a payment" });
    await expect(form.getByText("Enter the amount in rupees, e.g. 1,250.50.")).toBeVisible();
    await expect(form.getByLabel("Amount (Rs.)")).toBeFocused();
    await expect(form.getByLabel("Repeat")).toHaveValue("monthly");
    await expect(form.getByLabel("Recipient's mobile number")).toHaveValue(recipient.phone);

    await submitScheduleForm(page, {
      toPhone: recipient.phone,
      rupees: "100",
      firstRunAt: nepalLocal(now - HOUR),
      password: user.password,
    });
    await expect(form.getByText(/Choose a time from .* NPT to .* NPT \(at least 5 minutes and at most a year ahead\)\./)).toBeVisible();
    await expect(form.getByLabel("First payment (Nepal time)")).toBeFocused();

    await submitScheduleForm(page, {
      toPhone: "9700000001",
      rupees: "100",
      firstRunAt: nepalLocal(minutesAfter(now, 30)),
      password: user.password,
    });
    await expect(form.getByText("No wallet account has this mobile number.")).toBeVisible();

    const due = minutesAfter(now, 45);
    const id = await schedulePayment(page, {
      toPhone: recipient.phone,
      rupees: "1,500",
      firstRunAt: nepalLocal(due),
      repeat: "weekly",
      note: "Rent share",
      password: user.password,
    });
    await expect(page.getByTestId("schedule-status")).toHaveText("Active");
    await expect(page.getByTestId("schedule-amount")).toHaveText("Rs. 1,500.00");
    await expect(page.getByTestId("schedule-next")).toHaveText(nepalDisplay(due));
    await expect(page.getByTestId("schedule-repeat")).toHaveText("Every week");
    await expect(page.getByTestId("occurrence")).toHaveCount(1);

    await page.getByRole("link", { name: "All scheduled payments" }).click();
    await expect(page.getByTestId("schedule-item")).toContainText("Rs. 1,500.00 to Ramesh Shrestha");
    await expect(page.getByTestId("schedule-item")).toContainText(nepalDisplay(due));

    // Pause and resume, without JavaScript too; then cancel so no later clock move pays it.
    await page.goto(`/payments/${id}`);
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByTestId("schedule-status")).toHaveText("Paused");
    await expect(page.getByRole("button", { name: "Skip the next payment" })).toHaveCount(0);
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByTestId("schedule-status")).toHaveText("Active");
    await expect(page.getByRole("button", { name: "Resume" })).toHaveCount(0);
    await page.getByRole("button", { name: "Cancel this scheduled payment" }).click();
    await expect(page.getByTestId("schedule-status")).toHaveText("Cancelled");
    await expect(page.getByRole("form", { name: "Reschedule" })).toHaveCount(0);
  });
});

test.describe("cooling-off after an email change", () => {
  test.use({ userOptions: { email: true, verified: true } });

  test("an account whose email just changed cannot schedule: the message says until when", async ({
    signedInPage: page,
    user,
    accounts,
    mailbox,
    engine,
    db,
  }) => {
    const recipient = await accounts.create({ fullName: "Anita Lama" });
    const newEmail = uniqueEmail("cooling");
    await submitEmailForm(page, { email: newEmail, password: user.password, action: "Change email" });
    await confirmLink(page, linkIn(await mailbox.waitForEmail(user.email!, { subject: SUBJECTS.oldHop })), /Yes, change my email/);
    await confirmLink(page, linkIn(await mailbox.waitForEmail(newEmail, { subject: SUBJECTS.newHop })), /Confirm new email/);
    await expect(page.getByTestId("confirm-outcome")).toContainText("changed");

    // The change completed at the real time; the app's clock is the engine's,
    // which earlier @global-state tests (of this run or a kept engine) may have
    // moved ahead. The change is put at the engine's "now", as a person would
    // see it, rather than the test waiting for either clock.
    const changedAt = Math.floor((await engineNow(engine)) / MINUTE) * MINUTE;
    await db.sql(
      "UPDATE email_requests SET closed_at = to_timestamp($1 / 1000.0) WHERE user_id = $2 AND kind = 'change' AND status = 'completed'",
      [changedAt, user.id],
    );

    await submitScheduleForm(page, {
      toPhone: recipient.phone,
      rupees: "100",
      firstRunAt: nepalLocal(minutesAfter(changedAt, 60)),
      password: user.password,
    });
    await expect(page.getByTestId("schedule-error")).toHaveText(
      `Your email address changed recently. For your security, new scheduled payments and larger amounts are possible again from ${nepalDisplay(changedAt + 24 * HOUR)}.`,
    );
    await page.goto("/payments");
    await expect(page.getByText("No scheduled payments yet.")).toBeVisible();
  });
});

test.describe("scheduled payments on the engine's clock", () => {
  test.use({ userOptions: { email: true, verified: true } });

  /** A recipient and a payer with money, the payer on /wallet. */
  async function setUp(page: Page, accounts: Accounts, rupees: string | null): Promise<TestUser> {
    const recipient = await accounts.create({ fullName: "Bikash Rai" });
    if (rupees) await addTestMoney(page, rupees);
    return recipient;
  }

  test(
    "a payment executes at its time, once, and the payer gets the receipt",
    { tag: "@global-state" },
    async ({ signedInPage: page, user, accounts, engine, mailbox }) => {
      const recipient = await setUp(page, accounts, "1,000");
      const due = minutesAfter(await engineNow(engine), 10);
      const id = await schedulePayment(page, {
        toPhone: recipient.phone,
        rupees: "400",
        firstRunAt: nepalLocal(due),
        note: "Tuition",
        password: user.password,
      });
      // Before its time nothing moves.
      await advanceClockTo(engine, due - 2 * MINUTE);
      expect((await scheduleDetail(page, id)).occurrences[0]?.status).toBe("scheduled");
      expect((await walletOf(page)).balance).toBe(100_000);

      await advanceClockTo(engine, due + MINUTE);
      await waitForOccurrence(page, id, 1, "succeeded");
      const receipt = await mailbox.waitForEmail(user.email!, { subject: RECEIPT });
      expect(receipt.subject).toContain("Rs. 400.00");
      expect(receipt.subject).toContain("Bikash Rai");

      await page.goto(`/payments/${id}`);
      await expect(page.getByTestId("schedule-status")).toHaveText("Completed");
      await expect(page.getByTestId("occurrence").first()).toContainText("Paid");
      await page.getByRole("link", { name: "Wallet" }).last().click();
      await expect(page.getByTestId("wallet-balance")).toHaveText("Rs. 600.00");
      await expect(page.getByTestId("wallet-entry").first()).toContainText("Scheduled payment");
      expect((await walletOf(page)).entries.filter((entry) => entry.kind === "scheduled_payment")).toHaveLength(1);
    },
  );

  test(
    "monthly over three months: three payments, each at its time",
    { tag: "@global-state" },
    async ({ signedInPage: page, user, accounts, engine, mailbox }) => {
      const recipient = await setUp(page, accounts, "1,000");
      const id = await schedulePayment(page, {
        toPhone: recipient.phone,
        rupees: "100",
        firstRunAt: nepalLocal(minutesAfter(await engineNow(engine), 10)),
        repeat: "monthly",
        password: user.password,
      });
      for (const number of [1, 2, 3]) {
        const { schedule } = await scheduleDetail(page, id);
        expect(schedule.status).toBe("active");
        await advanceClockTo(engine, Date.parse(schedule.nextRunAt!) + MINUTE);
        await waitForOccurrence(page, id, number, "succeeded");
        await mailbox.waitForEmail(user.email!, { subject: RECEIPT, count: number });
      }
      const { schedule, occurrences } = await scheduleDetail(page, id);
      expect(occurrences.filter((occurrence) => occurrence.status === "succeeded").map((occurrence) => occurrence.number)).toEqual([
        3, 2, 1,
      ]);
      expect(schedule.status).toBe("active");
      expect((await walletOf(page)).balance).toBe(70_000);
      await page.goto(`/payments/${id}`);
      await expect(page.getByTestId("occurrence").filter({ hasText: "Paid" })).toHaveCount(3);
      // No fourth payment later on: cancelled now.
      await page.getByRole("button", { name: "Cancel this scheduled payment" }).click();
      await expect(page.getByTestId("schedule-status")).toHaveText("Cancelled");
    },
  );

  test(
    "reschedule: the new amount at the new time, nothing at the old one",
    { tag: "@global-state" },
    async ({ signedInPage: page, user, accounts, engine }) => {
      const recipient = await setUp(page, accounts, "1,000");
      const now = await engineNow(engine);
      const oldDue = minutesAfter(now, 10);
      const newDue = minutesAfter(now, 40);
      const id = await schedulePayment(page, {
        toPhone: recipient.phone,
        rupees: "100",
        firstRunAt: nepalLocal(oldDue),
        password: user.password,
      });

      const form = page.getByRole("form", { name: "Reschedule" });
      await expect(form.getByLabel("Amount (Rs.)")).toHaveValue("100.00");
      await expect(form.getByLabel("Next payment (Nepal time)")).toHaveValue(nepalLocal(oldDue));
      await form.getByLabel("Amount (Rs.)").fill("75");
      await form.getByLabel("Next payment (Nepal time)").fill(nepalLocal(newDue));
      await form.getByRole("button", { name: "Save changes" }).click();
      await expect(page.getByTestId("schedule-done")).toHaveText("Your changes are saved.");
      await expect(page.getByTestId("schedule-amount")).toHaveText("Rs. 75.00");
      await expect(page.getByTestId("schedule-next")).toHaveText(nepalDisplay(newDue));

      // The change ended the first version's run; the old time then passes with nothing paid.
      await waitForOlderRunsToEnd(engine, id, 2);
      await advanceClockTo(engine, oldDue + 2 * MINUTE);
      expect((await scheduleDetail(page, id)).occurrences[0]?.status).toBe("scheduled");
      expect((await walletOf(page)).balance).toBe(100_000);

      await advanceClockTo(engine, newDue + MINUTE);
      await waitForOccurrence(page, id, 1, "succeeded");
      const wallet = await walletOf(page);
      expect(wallet.balance).toBe(92_500);
      expect(wallet.entries.filter((entry) => entry.kind === "scheduled_payment")).toHaveLength(1);
    },
  );

  test(
    "skip: the next payment is skipped and the one after it runs",
    { tag: "@global-state" },
    async ({ signedInPage: page, user, accounts, engine }) => {
      const recipient = await setUp(page, accounts, "1,000");
      const first = minutesAfter(await engineNow(engine), 10);
      const id = await schedulePayment(page, {
        toPhone: recipient.phone,
        rupees: "100",
        firstRunAt: nepalLocal(first),
        repeat: "daily",
        password: user.password,
      });
      await page.getByRole("button", { name: "Skip the next payment" }).click();
      await expect(page.getByTestId("schedule-done")).toHaveText("The next payment is skipped.");
      await expect(page.getByTestId("schedule-next")).toHaveText(nepalDisplay(first + 24 * HOUR));
      await expect(page.getByTestId("occurrence").filter({ hasText: "Payment 1" })).toContainText("Skipped");

      await waitForOlderRunsToEnd(engine, id, 2);
      await advanceClockTo(engine, first + 2 * MINUTE);
      expect((await scheduleDetail(page, id)).occurrences.find((occurrence) => occurrence.number === 1)?.status).toBe("skipped");
      expect((await walletOf(page)).balance).toBe(100_000);

      await advanceClockTo(engine, first + 24 * HOUR + MINUTE);
      await waitForOccurrence(page, id, 2, "succeeded");
      expect((await walletOf(page)).balance).toBe(90_000);
      await page.goto(`/payments/${id}`);
      await page.getByRole("button", { name: "Cancel this scheduled payment" }).click();
      await expect(page.getByTestId("schedule-status")).toHaveText("Cancelled");
    },
  );

  test(
    "cancel before it runs: nothing is paid at its time",
    { tag: "@global-state" },
    async ({ signedInPage: page, user, accounts, engine, mailbox }) => {
      const recipient = await setUp(page, accounts, "1,000");
      const due = minutesAfter(await engineNow(engine), 10);
      const id = await schedulePayment(page, {
        toPhone: recipient.phone,
        rupees: "300",
        firstRunAt: nepalLocal(due),
        password: user.password,
      });
      // A one-off has neither skip nor pause.
      await expect(page.getByRole("button", { name: "Skip the next payment" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
      await page.getByRole("button", { name: "Cancel this scheduled payment" }).click();
      await expect(page.getByTestId("schedule-done")).toHaveText("Cancelled: nothing more will be paid.");
      await expect(page.getByTestId("schedule-status")).toHaveText("Cancelled");
      await expect(page.getByTestId("schedule-next")).toHaveText("None");

      // The cancel ended the waiting run; its time then passes with nothing paid.
      await waitForOlderRunsToEnd(engine, id, 2);
      await advanceClockTo(engine, due + 2 * MINUTE);
      expect((await walletOf(page)).balance).toBe(100_000);
      expect((await scheduleDetail(page, id)).occurrences).toEqual([]);
      expect((await mailbox.list(user.email!)).filter((message) => RECEIPT.test(message.subject))).toHaveLength(0);
    },
  );

  test(
    "insufficient funds: retried after 1 hour and 6 hours, then failed, and the payer is told",
    { tag: "@global-state" },
    async ({ signedInPage: page, user, accounts, engine, mailbox }) => {
      const recipient = await setUp(page, accounts, null);
      const due = minutesAfter(await engineNow(engine), 10);
      const id = await schedulePayment(page, {
        toPhone: recipient.phone,
        rupees: "500",
        firstRunAt: nepalLocal(due),
        password: user.password,
      });

      await advanceClockTo(engine, due + MINUTE);
      await expect
        .poll(async () => (await scheduleDetail(page, id)).occurrences[0], { timeout: 30_000 })
        .toMatchObject({ status: "retrying", attempts: 1 });
      await advanceClockTo(engine, due + HOUR + 2 * MINUTE);
      await expect
        .poll(async () => (await scheduleDetail(page, id)).occurrences[0], { timeout: 30_000 })
        .toMatchObject({ status: "retrying", attempts: 2 });
      await advanceClockTo(engine, due + 7 * HOUR + 10 * MINUTE);
      const failed = await waitForOccurrence(page, id, 1, "failed");
      expect(failed.attempts).toBe(3);

      const notice = await mailbox.waitForEmail(user.email!, { subject: FAILED });
      expect(notice.subject).toContain("Rs. 500.00");
      await page.goto(`/payments/${id}`);
      const row = page.getByTestId("occurrence").first();
      await expect(row).toContainText("Failed");
      await expect(row).toContainText("3 attempts");
      await expect(row).toContainText(failed.failureReason!);
      expect((await walletOf(page)).balance).toBe(0);
    },
  );
});
