import type { RunDetailView } from "@wallet/inngest-local/client";
import { startInngestLocal, type InngestLocal } from "@wallet/inngest-local/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { functions } from "@/inngest/functions";
import { NO_META } from "@/server/audit";
import { now } from "@/server/clock";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { inngest } from "@/server/inngest";
import { createSchedule, rescheduleSchedule } from "@/server/payments/schedules";
import { topUp } from "@/server/wallet/top-up";
import { createUser, uniqueEmail } from "@/tests/support/factories";
import { waitForEmails } from "@/tests/support/mailbox";

// Scheduled payments on the local engine, served by the real SDK: the runs
// sleep on durable timers, and the test moves the engine's clock, which the
// app's clock follows (server/clock.ts, as TEST_CLOCK_URL does in the e2e
// stack), so a month passes in a moment. What is asserted is what people
// see: balances, the schedule's history and the emails.

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const RUN = "wallet-account-email-payment-occurrence";

let local: InngestLocal;

beforeAll(async () => {
  local = await startInngestLocal({ databaseUrl: inject("testDatabaseUrl"), client: inngest, functions });
  env.TEST_CLOCK_URL = `${local.engine.url}/api/clock`;
});
afterAll(async () => {
  env.TEST_CLOCK_URL = undefined;
  await local?.stop();
});

const balanceOf = async (userId: string) => Number((await db.wallet.findUniqueOrThrow({ where: { userId } })).balance);
const entriesOf = (id: string) => db.ledgerEntry.count({ where: { idempotencyKey: { startsWith: `schedule:${id}:` } } });

/** The run of one occurrence of one version, once `until` holds. */
async function occurrenceRun(scheduleId: string, version: number, number: number, until: (run: RunDetailView) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    // The outbox relays the event just after the commit: until then the engine has never heard of it.
    const runs = await local.client.eventRuns(`occurrence-due:${scheduleId}:v${version}:n${number}`).catch(() => []);
    const [run] = runs.filter((r) => r.functionId === RUN);
    if (run) return local.client.waitForRun(run.id, { timeoutMs: 20_000, until });
    if (Date.now() > deadline) throw new Error(`no run for occurrence ${number} of ${scheduleId} v${version}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
/** Asleep on a durable timer (the reminder's or the due time's). */
const sleepingUntilDue = (run: RunDetailView) => run.waitingFor.jobs.some((job) => job.kind === "sleep");
const ended = (run: RunDetailView) => run.status !== "running";

async function people() {
  const payerEmail = uniqueEmail("payer");
  const recipientEmail = uniqueEmail("payee");
  const payer = await createUser({ email: payerEmail, verified: true, fullName: "Hari Payer" });
  const recipient = await createUser({ email: recipientEmail, verified: true, fullName: "Sita Payee" });
  await topUp({ userId: payer.id, amount: 10_000_00 });
  return { payer, recipient, payerEmail, recipientEmail };
}

async function schedule(payer: Awaited<ReturnType<typeof people>>["payer"], toPhone: string, repeat: "none" | "monthly", inMs: number) {
  const firstRunAt = new Date((await now()).getTime() + inMs);
  return createSchedule({
    user: payer,
    input: { toPhone, amount: 1_500_00, note: "Tuition", firstRunAt: firstRunAt.toISOString(), repeat, password: payer.password },
    meta: NO_META,
  });
}

describe("payment-occurrence on the local engine", () => {
  it("sleeps until its time, executes once, and mails the receipt and the 'you received'", async () => {
    const { payer, recipient, payerEmail, recipientEmail } = await people();
    const created = await schedule(payer, recipient.phone, "none", 2 * HOUR);
    await occurrenceRun(created.id, 1, 1, sleepingUntilDue);
    expect(await balanceOf(payer.id)).toBe(10_000_00);

    await local.client.advanceClock(2 * HOUR);
    const run = await occurrenceRun(created.id, 1, 1, ended);
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ outcome: "succeeded" });
    expect(await balanceOf(payer.id)).toBe(8_500_00);
    expect(await balanceOf(recipient.id)).toBe(1_500_00);
    const [receipt] = await waitForEmails(payerEmail, 1, 15_000);
    expect(receipt!.subject).toMatch(/Rs\. 1,500\.00/);
    const [received] = await waitForEmails(recipientEmail, 1, 15_000);
    expect(received!.text).toContain("Hari Payer");
  });

  it("the engine restarted during the sleep: the payment still executes, once", async () => {
    const { payer, recipient } = await people();
    const created = await schedule(payer, recipient.phone, "none", 3 * HOUR);
    await occurrenceRun(created.id, 1, 1, sleepingUntilDue);
    await local.stopEngine();
    await local.startEngine();
    env.TEST_CLOCK_URL = `${local.engine.url}/api/clock`;
    await local.client.advanceClock(3 * HOUR);
    expect((await occurrenceRun(created.id, 1, 1, ended)).status).toBe("completed");
    expect(await entriesOf(created.id)).toBe(1);
    expect(await balanceOf(payer.id)).toBe(8_500_00);
  });

  it("a reschedule ends the waiting run; the new run pays at the new time, once", async () => {
    const { payer, recipient } = await people();
    const created = await schedule(payer, recipient.phone, "none", 2 * HOUR);
    await occurrenceRun(created.id, 1, 1, sleepingUntilDue);
    const later = new Date((await now()).getTime() + 5 * HOUR);
    await rescheduleSchedule({ userId: payer.id, id: created.id, input: { nextRunAt: later.toISOString() }, meta: NO_META });

    expect((await occurrenceRun(created.id, 1, 1, ended)).status).toBe("cancelled");
    await occurrenceRun(created.id, 2, 1, sleepingUntilDue);
    await local.client.advanceClock(2 * HOUR);
    expect(await balanceOf(payer.id)).toBe(10_000_00);
    await local.client.advanceClock(3 * HOUR);
    expect((await occurrenceRun(created.id, 2, 1, ended)).output).toMatchObject({ outcome: "succeeded" });
    expect(await entriesOf(created.id)).toBe(1);
  });

  it("monthly for three months runs in seconds: three entries, each on its own run", async () => {
    const { payer, recipient } = await people();
    const created = await schedule(payer, recipient.phone, "monthly", HOUR);
    for (let number = 1; number <= 3; number++) {
      await occurrenceRun(created.id, 1, number, sleepingUntilDue);
      const due = (await db.scheduledPayment.findUniqueOrThrow({ where: { id: created.id } })).nextRunAt!;
      await local.client.advanceClock(due.getTime() - (await now()).getTime());
      expect((await occurrenceRun(created.id, 1, number, ended)).output).toMatchObject({ outcome: "succeeded" });
    }
    expect(await entriesOf(created.id)).toBe(3);
    expect(await balanceOf(payer.id)).toBe(10_000_00 - 3 * 1_500_00);
  }, 60_000);

  it("insufficient funds: retried after 1 h and 6 h on the engine's timers, then failed with a notice", async () => {
    const payerEmail = uniqueEmail("broke");
    const payer = await createUser({ email: payerEmail, verified: true });
    const recipient = await createUser();
    const created = await schedule(payer, recipient.phone, "none", HOUR);
    await occurrenceRun(created.id, 1, 1, sleepingUntilDue);
    await local.client.advanceClock(HOUR);
    await occurrenceRun(created.id, 1, 1, (run) => run.waitingFor.jobs.some((job) => job.stepName === "wait for retry 1"));
    await local.client.advanceClock(HOUR);
    await occurrenceRun(created.id, 1, 1, (run) => run.waitingFor.jobs.some((job) => job.stepName === "wait for retry 2"));
    await local.client.advanceClock(5 * HOUR);
    expect((await occurrenceRun(created.id, 1, 1, ended)).output).toMatchObject({ outcome: "failed" });
    const [notice] = await waitForEmails(payerEmail, 1, 15_000);
    expect(notice!.text).toContain("Not enough money");
    expect(await entriesOf(created.id)).toBe(0);
    void DAY;
  });
});
