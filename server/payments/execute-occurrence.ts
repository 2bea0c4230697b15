import "server-only";
import { paymentOccurrenceEnded } from "@/lib/events";
import { dueOf } from "@/lib/recurrence";
import { paymentRules } from "@/lib/rules";
import { db, type Tx } from "@/server/db";
import { isAppError } from "@/server/errors";
import { KNOWN_LABELS, metrics } from "@/server/metrics";
import type { PaymentOccurrence, ScheduledPayment } from "@/server/generated/prisma/client";
import { enqueue, type OutboxEvent } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";
import { occurrenceDueEvent } from "@/server/payments/schedules";
import { transferIn } from "@/server/wallet/transfer";

// One attempt at one occurrence, in one transaction that holds the
// schedule's row lock from the first read to the commit. Whatever woke the
// run (its time, a retry, the reconciliation cron, a duplicate), this decides
// from the database alone: a run for an older version of the schedule, or
// for an occurrence that already ended, does nothing. The ledger entry's key
// (schedule id + occurrence number) is the last guard: even two executions
// that got past everything else write one entry.

export type Attempt = { scheduleId: string; version: number; number: number; at: Date };

export type AttemptOutcome =
  | { outcome: "stale" }
  | { outcome: "not-due"; dueAt: string }
  | { outcome: "retry"; retryAt: string; attempts: number }
  | { outcome: "succeeded"; entryId: string }
  | { outcome: "failed"; reason: string; paused: boolean }
  | { outcome: "missed" };

export async function executeOccurrence(attempt: Attempt): Promise<AttemptOutcome> {
  const { result, outbox, dueAt } = await db.$transaction(async (tx) => {
    const events: OutboxEvent[] = [];
    const seen: Seen = {};
    const result = await decide(tx, attempt, events, seen);
    return { result, outbox: events.length ? await enqueue(tx, events) : [], dueAt: seen.dueAt };
  });
  relayAfterCommit(outbox);
  // Counted once committed; stale and not-due runs decided nothing.
  const counted = KNOWN_LABELS.paymentOutcomes.find((outcome) => outcome === result.outcome);
  if (counted) metrics.paymentOccurrences.inc({ outcome: counted });
  // executed_at − due_at: the attempt's time is the app's clock, and the payment's executedAt.
  if (result.outcome === "succeeded" && dueAt) metrics.paymentLag.observe(Math.max(0, attempt.at.getTime() - dueAt.getTime()) / 1000);
  return result;
}

/** What the decision saw, for the metrics recorded after the commit. */
type Seen = { dueAt?: Date };

async function decide(tx: Tx, { scheduleId, version, number, at }: Attempt, events: OutboxEvent[], seen: Seen): Promise<AttemptOutcome> {
  await tx.$queryRaw`SELECT id FROM scheduled_payments WHERE id = ${scheduleId}::uuid FOR UPDATE`;
  const schedule = await tx.scheduledPayment.findUnique({ where: { id: scheduleId } });
  if (!schedule || schedule.status !== "active" || schedule.version !== version || schedule.nextNumber !== number)
    return { outcome: "stale" };
  const occurrence = await tx.paymentOccurrence.findUnique({ where: { scheduleId_number: { scheduleId, number } } });
  if (!occurrence || (occurrence.status !== "scheduled" && occurrence.status !== "retrying")) return { outcome: "stale" };

  // The lag is measured from the occurrence's own time, not from a retry's.
  seen.dueAt = occurrence.dueAt;
  const dueAt = occurrence.nextAttemptAt ?? occurrence.dueAt;
  if (at < dueAt) return { outcome: "not-due", dueAt: dueAt.toISOString() };

  const ended = (outcome: "succeeded" | "failed" | "missed", paused = false) =>
    events.push(
      paymentOccurrenceEnded.create({ scheduleId, number, outcome, paused }, { id: `occurrence-ended:${scheduleId}:n${number}` }),
    );

  if (at.getTime() - dueAt.getTime() > paymentRules.maxLatenessMs) {
    await tx.paymentOccurrence.update({
      where: { scheduleId_number: { scheduleId, number } },
      data: {
        status: "missed",
        failureReason: "The payment could not run within 24 hours of its time, so it was not made.",
        nextAttemptAt: null,
      },
    });
    ended("missed");
    await advance(tx, schedule, events, {});
    return { outcome: "missed" };
  }

  const paid = await pay(tx, schedule, occurrence, at);
  if (paid.kind === "succeeded") {
    ended("succeeded");
    await advance(tx, schedule, events, { consecutiveFailures: 0 });
    return { outcome: "succeeded", entryId: paid.entryId };
  }

  const attempts = occurrence.attempts + 1;
  const delay = paymentRules.retryDelaysMs[occurrence.attempts];
  if (paid.kind === "insufficient" && delay !== undefined) {
    const retryAt = new Date(occurrence.dueAt.getTime() + delay);
    await tx.paymentOccurrence.update({
      where: { scheduleId_number: { scheduleId, number } },
      data: { status: "retrying", attempts, nextAttemptAt: retryAt, failureReason: paid.reason },
    });
    return { outcome: "retry", retryAt: retryAt.toISOString(), attempts };
  }

  await tx.paymentOccurrence.update({
    where: { scheduleId_number: { scheduleId, number } },
    data: { status: "failed", attempts, nextAttemptAt: null, failureReason: paid.reason },
  });
  const failures = schedule.consecutiveFailures + 1;
  const pause = schedule.repeat !== "none" && failures >= paymentRules.pauseAfterFailures;
  ended("failed", pause);
  await advance(tx, schedule, events, { consecutiveFailures: failures }, pause);
  return { outcome: "failed", reason: paid.reason, paused: pause };
}

type Paid = { kind: "succeeded"; entryId: string } | { kind: "insufficient" | "refused"; reason: string };

async function pay(tx: Tx, schedule: ScheduledPayment, occurrence: PaymentOccurrence, at: Date): Promise<Paid> {
  const recipientWallet =
    schedule.recipientId && (await tx.wallet.findUnique({ where: { userId: schedule.recipientId }, select: { id: true } }));
  if (!recipientWallet) return { kind: "refused", reason: "The recipient's account no longer exists." };
  try {
    const posted = await transferIn(tx, {
      payerId: schedule.userId,
      recipientWalletId: recipientWallet.id,
      amount: schedule.amount,
      note: schedule.note,
      kind: "scheduled_payment",
      idempotencyKey: `schedule:${schedule.id}:${occurrence.number}`,
      at,
    });
    await tx.paymentOccurrence.update({
      where: { scheduleId_number: { scheduleId: schedule.id, number: occurrence.number } },
      data: {
        status: "succeeded",
        attempts: occurrence.attempts + 1,
        entryId: posted.entryId,
        executedAt: at,
        nextAttemptAt: null,
        failureReason: null,
      },
    });
    return { kind: "succeeded", entryId: posted.entryId };
  } catch (error) {
    // The transfer's refusals are decided before it writes anything, so the
    // transaction is intact and records the outcome.
    if (isAppError(error) && error.code === "INSUFFICIENT_FUNDS")
      return { kind: "insufficient", reason: "Not enough money in the wallet." };
    if (isAppError(error) && error.code === "LIMIT_EXCEEDED")
      return { kind: "refused", reason: "The daily limit for outgoing payments was reached." };
    throw error;
  }
}

/** After an occurrence ended: the next one (with its run's event), or the end of the schedule. */
async function advance(
  tx: Tx,
  schedule: ScheduledPayment,
  events: OutboxEvent[],
  data: Partial<ScheduledPayment>,
  pause = false,
): Promise<void> {
  const number = schedule.nextNumber + 1;
  const dueAt = dueOf(schedule, number);
  if (!dueAt) {
    await tx.scheduledPayment.update({
      where: { id: schedule.id },
      data: { ...data, nextNumber: number, status: "completed", nextRunAt: null },
    });
    return;
  }
  await tx.scheduledPayment.update({
    where: { id: schedule.id },
    data: { ...data, nextNumber: number, nextRunAt: dueAt, ...(pause && { status: "paused" }) },
  });
  await tx.paymentOccurrence.create({ data: { scheduleId: schedule.id, number, dueAt } });
  if (!pause) {
    const wallet = await tx.wallet.findUniqueOrThrow({ where: { userId: schedule.userId }, select: { id: true } });
    events.push(occurrenceDueEvent(schedule, wallet.id, number, dueAt));
  }
}
