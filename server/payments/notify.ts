import "server-only";
import { formatPaisa } from "@/lib/money";
import { formatNepalTime } from "@/lib/nepal-time";
import { maskPhone } from "@/lib/phone";
import { paymentRules } from "@/lib/rules";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { sendEmail } from "@/server/mailer";

// The emails of scheduled payments, each sent from a workflow step (which
// retries). Only to a verified address: an unverified one may be anybody's.
// Every send re-reads the database, so a reminder for a payment changed or
// cancelled meanwhile is not sent.

export type NoticeOutcome = { sent: true } | { sent: false; reason: string };

const scheduleUrl = (id: string) => `${env.APP_URL}/payments/${id}`;
const verified = (user: { email: string | null; emailVerifiedAt: Date | null } | null) =>
  user?.email && user.emailVerifiedAt ? user.email : null;

const PERSON = { fullName: true, phone: true, email: true, emailVerifiedAt: true } as const;

function loadOccurrence(scheduleId: string, number: number) {
  return db.paymentOccurrence.findUnique({
    where: { scheduleId_number: { scheduleId, number } },
    select: {
      dueAt: true,
      status: true,
      executedAt: true,
      failureReason: true,
      schedule: {
        select: {
          id: true,
          amount: true,
          note: true,
          status: true,
          version: true,
          remind: true,
          nextNumber: true,
          nextRunAt: true,
          toPhone: true,
          user: { select: PERSON },
          recipient: { select: PERSON },
        },
      },
    },
  });
}

/** 24 hours before an occurrence, if the schedule still has it next, unchanged, and reminders are on. */
export async function sendReminder(options: { scheduleId: string; version: number; number: number }): Promise<NoticeOutcome> {
  const occurrence = await loadOccurrence(options.scheduleId, options.number);
  const schedule = occurrence?.schedule;
  if (
    !occurrence ||
    !schedule ||
    schedule.status !== "active" ||
    schedule.version !== options.version ||
    schedule.nextNumber !== options.number
  )
    return { sent: false, reason: "changed since" };
  if (!schedule.remind) return { sent: false, reason: "reminders off" };
  const to = verified(schedule.user);
  if (!to) return { sent: false, reason: "no verified email" };
  await sendEmail({
    to,
    template: "payment-reminder",
    props: {
      fullName: schedule.user.fullName,
      amount: formatPaisa(schedule.amount),
      recipientName: schedule.recipient?.fullName ?? "the recipient",
      recipientPhone: maskPhone(schedule.toPhone),
      dueAt: formatNepalTime(occurrence.dueAt),
      note: schedule.note,
      scheduleUrl: scheduleUrl(schedule.id),
    },
  });
  return { sent: true };
}

/** What to tell the payer about a failure: the reason's next step. */
function nextStep(reason: string | null, outcome: "failed" | "missed", paused: boolean): string {
  if (paused) return "The payment is paused after 3 failures in a row. Resume it from its page once the cause is fixed.";
  if (outcome === "missed")
    return "Nothing was paid. If you still want to pay, pay now from your wallet; the schedule continues as planned.";
  if (reason?.startsWith("Not enough money")) return "Add money to your wallet before the next payment, or change its amount.";
  if (reason?.startsWith("The daily limit")) return "Pay again tomorrow, or spread your payments over more days.";
  if (reason?.startsWith("The recipient")) return "Cancel this schedule and create one to a number that has a wallet account.";
  return "Open the payment's page to see what happened.";
}

type Ended = { scheduleId: string; number: number; outcome: "succeeded" | "failed" | "missed"; paused: boolean };

async function ended(options: Ended) {
  const occurrence = await loadOccurrence(options.scheduleId, options.number);
  if (!occurrence) return null;
  const { schedule } = occurrence;
  const common = {
    amount: formatPaisa(schedule.amount),
    recipientName: schedule.recipient?.fullName ?? "the recipient",
    recipientPhone: maskPhone(schedule.toPhone),
    scheduleUrl: scheduleUrl(schedule.id),
  };
  return { occurrence, schedule, common, payerEmail: verified(schedule.user) };
}

// One email per function, one function per workflow step: a retry after a
// failed send never sends the one before it again.

/** To the payer: the receipt, or the failure (or missed) notice with the reason and what to do. */
export async function sendPayerNotice(options: Ended): Promise<NoticeOutcome> {
  const loaded = await ended(options);
  if (!loaded) return { sent: false, reason: "not found" };
  const { occurrence, schedule, common, payerEmail } = loaded;
  if (!payerEmail) return { sent: false, reason: "no verified email" };
  if (options.outcome === "succeeded") {
    await sendEmail({
      to: payerEmail,
      template: "payment-receipt",
      props: {
        ...common,
        fullName: schedule.user.fullName,
        executedAt: formatNepalTime(occurrence.executedAt ?? occurrence.dueAt),
        note: schedule.note,
        nextRunAt: schedule.status === "active" && schedule.nextRunAt ? formatNepalTime(schedule.nextRunAt) : null,
      },
    });
  } else {
    await sendEmail({
      to: payerEmail,
      template: "payment-failed",
      props: {
        ...common,
        fullName: schedule.user.fullName,
        dueAt: formatNepalTime(occurrence.dueAt),
        outcome: options.outcome,
        reason: occurrence.failureReason ?? "The payment could not be made.",
        nextStep: nextStep(occurrence.failureReason, options.outcome, options.paused),
      },
    });
  }
  return { sent: true };
}

/** To the recipient of a successful payment: "you received". */
export async function sendRecipientNotice(options: Ended): Promise<NoticeOutcome> {
  if (options.outcome !== "succeeded") return { sent: false, reason: "not a success" };
  const loaded = await ended(options);
  const recipient = loaded?.schedule.recipient;
  const to = verified(recipient ?? null);
  if (!loaded || !recipient || !to) return { sent: false, reason: "no verified email" };
  await sendEmail({
    to,
    template: "payment-received",
    props: {
      fullName: recipient.fullName,
      amount: loaded.common.amount,
      payerName: loaded.schedule.user.fullName,
      payerPhone: maskPhone(loaded.schedule.user.phone),
      receivedAt: formatNepalTime(loaded.occurrence.executedAt ?? loaded.occurrence.dueAt),
      note: loaded.schedule.note,
      walletUrl: `${env.APP_URL}/wallet`,
    },
  });
  return { sent: true };
}

/** To the payer, when 3 failures in a row paused a recurring payment. */
export async function sendPausedNotice(options: Ended): Promise<NoticeOutcome> {
  if (!options.paused) return { sent: false, reason: "not paused" };
  const loaded = await ended(options);
  if (!loaded?.payerEmail) return { sent: false, reason: "no verified email" };
  await sendEmail({
    to: loaded.payerEmail,
    template: "payment-paused",
    props: { ...loaded.common, fullName: loaded.schedule.user.fullName, failures: paymentRules.pauseAfterFailures },
  });
  return { sent: true };
}
