import { paymentOccurrenceDue, paymentOccurrenceEnded, paymentScheduleChanged } from "@/lib/events";
import { paymentRules } from "@/lib/rules";
import { now } from "@/server/clock";
import { inngest } from "@/server/inngest";
import { executeOccurrence, type AttemptOutcome } from "@/server/payments/execute-occurrence";
import { sendPausedNotice, sendPayerNotice, sendRecipientNotice, sendReminder } from "@/server/payments/notify";
import { reconcileScheduledPayments } from "@/server/payments/reconcile";

// One run per occurrence of a scheduled payment (docs/product/payments.md):
//
//   (reminder time? sleep, remind) → sleep until due → execute
//     → insufficient funds: sleep until the retry time → execute (twice at most)
//
// Durable timers, no polling. A change to the schedule (reschedule, skip,
// pause, resume, cancel) writes a new version and its event ends this run
// (cancelOn); the run of the new version starts from the event written with
// it. Even a run that was not cancelled in time does nothing: every execute
// step re-reads the schedule under its row lock (execute-occurrence.ts).
// Runs of one wallet execute one at a time (concurrency key = wallet), but
// the database's constraints, not the engine, are what guarantee no double
// payment and no negative balance. Step ids are stable phrases: renaming one
// breaks runs in flight.

/** Attempts at most: the first, two retries, and a re-sleep or two if woken early. */
const MAX_ATTEMPTS = paymentRules.retryDelaysMs.length + 3;

export const paymentOccurrenceFunction = inngest.createFunction(
  {
    id: "payment-occurrence",
    name: "Scheduled payment occurrence",
    triggers: [paymentOccurrenceDue],
    cancelOn: [
      { event: paymentScheduleChanged, if: "async.data.scheduleId == event.data.scheduleId && async.data.version > event.data.version" },
    ],
    concurrency: { key: "event.data.walletId", limit: 1 },
    retries: 6,
  },
  async ({ event, step }) => {
    const { scheduleId, version, number } = event.data;
    const attempt = { scheduleId, version, number };

    // Decided once, in a step, so that replays agree: is there still time for a reminder?
    const remindAt = await step.run("plan the reminder", async () => {
      const at = Date.parse(event.data.dueAt) - paymentRules.reminderLeadMs;
      return at > (await now()).getTime() ? new Date(at).toISOString() : null;
    });
    if (remindAt) {
      await step.sleepUntil("wait for the reminder time", remindAt);
      await step.run("send the reminder", () => sendReminder(attempt));
    }

    await step.sleepUntil("wait until due", event.data.dueAt);
    let outcome: AttemptOutcome = { outcome: "stale" };
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      outcome = await step.run(`execute (attempt ${i})`, async () => executeOccurrence({ ...attempt, at: await now() }));
      if (outcome.outcome === "retry") await step.sleepUntil(`wait for retry ${i}`, outcome.retryAt);
      else if (outcome.outcome === "not-due") await step.sleepUntil(`wait until due again ${i}`, outcome.dueAt);
      else break;
    }
    return outcome;
  },
);

/** The emails after an occurrence ended, one step each (a retried send never repeats another). */
export const paymentNoticesFunction = inngest.createFunction(
  { id: "payment-notices", name: "Scheduled payment notices", triggers: [paymentOccurrenceEnded], retries: 6 },
  async ({ event, step }) => {
    const payer = await step.run("notify the payer", () => sendPayerNotice(event.data));
    const recipient = await step.run("notify the recipient", () => sendRecipientNotice(event.data));
    const paused = await step.run("notify the pause", () => sendPausedNotice(event.data));
    return { payer, recipient, paused };
  },
);

/** Starts a run for any overdue occurrence that has none (a lost event never loses a payment). */
export const reconcilePaymentsFunction = inngest.createFunction(
  {
    id: "reconcile-scheduled-payments",
    name: "Reconcile scheduled payments",
    triggers: [{ cron: "*/5 * * * *" }],
    retries: 0,
    concurrency: 1,
  },
  async ({ step }) => step.run("re-drive overdue occurrences", async () => reconcileScheduledPayments(await now())),
);
