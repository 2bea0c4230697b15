import { expect, type Page } from "@playwright/test";

// What a person does on the wallet and payment pages, and what a test reads
// back through the JSON API (the same server functions the pages use).

const NEPAL_OFFSET_MS = (5 * 60 + 45) * 60 * 1000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** What a datetime-local input holds for this instant in Nepal time ("2026-12-01T09:30"). */
export function nepalLocal(ms: number): string {
  return new Date(ms + NEPAL_OFFSET_MS).toISOString().slice(0, 16);
}

/** How the pages show an instant: "1 Dec 2026, 09:30 NPT". */
export function nepalDisplay(ms: number): string {
  const local = new Date(ms + NEPAL_OFFSET_MS);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}, ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} NPT`;
}

/** A whole minute at least `minutes` after `ms` (a datetime-local has no seconds). */
export function minutesAfter(ms: number, minutes: number): number {
  return Math.ceil((ms + minutes * 60_000) / 60_000) * 60_000;
}

export async function addTestMoney(page: Page, rupees: string): Promise<void> {
  await page.goto("/wallet");
  await page.getByLabel("Test amount (Rs.)").fill(rupees);
  await page.getByRole("button", { name: "Add test money" }).click();
  await expect(page.getByTestId("top-up-done")).toBeVisible();
}

export type ScheduleFields = {
  toPhone: string;
  rupees: string;
  /** Nepal time, as a datetime-local holds it. */
  firstRunAt: string;
  repeat?: "none" | "daily" | "weekly" | "monthly";
  note?: string;
  password: string;
};

/** Fills "Schedule a payment" on /payments and submits it (the caller checks the outcome). */
export async function submitScheduleForm(page: Page, fields: ScheduleFields): Promise<void> {
  await page.goto("/payments");
  const form = page.getByRole("form", { name: "Schedule a payment" });
  await form.getByLabel("Recipient's mobile number").fill(fields.toPhone);
  await form.getByLabel("Amount (Rs.)").fill(fields.rupees);
  if (fields.note) await form.getByLabel("Note (optional)").fill(fields.note);
  await form.getByLabel("First payment (Nepal time)").fill(fields.firstRunAt);
  await form.getByLabel("Repeat").selectOption(fields.repeat ?? "none");
  await form.getByLabel("Your password").fill(fields.password);
  await form.getByRole("button", { name: "Schedule payment" }).click();
}

/** Schedules through the page and returns the new schedule's id (from the page the action lands on). */
export async function schedulePayment(page: Page, fields: ScheduleFields): Promise<string> {
  await submitScheduleForm(page, fields);
  await expect(page.getByTestId("schedule-done")).toHaveText("Payment scheduled.");
  const id = /\/payments\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(id, page.url()).toBeTruthy();
  return id!;
}

export type Occurrence = { number: number; dueAt: string; status: string; attempts: number; failureReason: string | null };
export type ScheduleDetail = {
  schedule: { id: string; amount: number; status: string; nextRunAt: string | null; repeat: string };
  occurrences: Occurrence[];
};

/** GET /api/scheduled-payments/:id with the page's session. */
export async function scheduleDetail(page: Page, id: string): Promise<ScheduleDetail> {
  const response = await page.request.get(`/api/scheduled-payments/${id}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as ScheduleDetail;
}

/** Polls until occurrence `number` has `status` (the workflow runs on the engine, after the clock moved). */
export async function waitForOccurrence(page: Page, id: string, number: number, status: string, timeout = 30_000): Promise<Occurrence> {
  let found: Occurrence | undefined;
  await expect
    .poll(
      async () => {
        found = (await scheduleDetail(page, id)).occurrences.find((occurrence) => occurrence.number === number);
        return found ? `${found.status}/${found.attempts}` : "none";
      },
      { timeout, message: `occurrence ${number} of ${id} becomes ${status}` },
    )
    .toMatch(new RegExp(`^${status}/`));
  return found!;
}

/** GET /api/wallet with the page's session: balance in paisa and the latest entries. */
export async function walletOf(page: Page): Promise<{ balance: number; entries: { amount: number; kind: string }[] }> {
  const response = await page.request.get("/api/wallet");
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as { wallet: { balance: number }; entries: { amount: number; kind: string }[] };
  return { balance: body.wallet.balance, entries: body.entries };
}
