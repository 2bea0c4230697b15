import "server-only";
import { paymentOccurrenceDue, paymentScheduleChanged } from "@/lib/events";
import { endOfNepalDay, formatNepalTime } from "@/lib/nepal-time";
import { dueOf, firstSlotFrom, type Plan } from "@/lib/recurrence";
import { paymentRules } from "@/lib/rules";
import type { ScheduleChangeInput, ScheduleInput } from "@/lib/schemas";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import type { CurrentUser } from "@/server/auth/current-user";
import { now } from "@/server/clock";
import { db, type Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import type { ScheduledPayment } from "@/server/generated/prisma/client";
import { enqueue, type OutboxEvent } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";
import { assertNotCoolingOff } from "@/server/payments/cooling-off";
import { presentOccurrence, presentSchedule, SCHEDULE_SELECT, type OccurrenceView, type ScheduleView } from "@/server/payments/present";
import { assertPaymentAmount, findRecipient } from "@/server/wallet/transfer";

// Scheduled payments as people manage them: schedule, list, look at one,
// reschedule, skip, pause, resume, cancel. Every change locks the schedule's
// row, bumps its version and writes, in the same transaction, the events
// that end the runs of the older version and start the run of the next
// occurrence (ADR 0016's outbox). The run re-reads the row under the same
// lock before executing (execute-occurrence.ts), so a change and an execution
// are ordered: the occurrence runs at the old time or the new one, never both.

const notFound = () => new AppError("NOT_FOUND", "There is no such scheduled payment.");

/** A time a payment may be (re)scheduled for: 5 minutes to 1 year ahead. */
function assertLead(at: Date, when: Date, field: string): void {
  const earliest = new Date(at.getTime() + paymentRules.minLeadMs);
  const latest = new Date(at.getTime() + paymentRules.maxLeadMs);
  if (when < earliest || when > latest) {
    const message = `Choose a time from ${formatNepalTime(earliest)} to ${formatNepalTime(latest)} (at least 5 minutes and at most a year ahead).`;
    throw new AppError("INVALID_INPUT", message, { fields: { [field]: message } });
  }
}

function endsOnInstant(date: string | null | undefined): Date | null {
  if (!date) return null;
  const end = endOfNepalDay(date);
  if (!end)
    throw new AppError("INVALID_INPUT", "Give the end date as YYYY-MM-DD.", { fields: { endsOn: "Give the end date as YYYY-MM-DD." } });
  return end;
}

const planOf = (row: ScheduledPayment): Plan => ({
  anchorAt: row.anchorAt,
  anchorNumber: row.anchorNumber,
  repeat: row.repeat,
  endsAfter: row.endsAfter,
  endsOn: row.endsOn,
});

/** The event that starts occurrence `number`'s run; its id makes writing it twice harmless. */
export function occurrenceDueEvent(row: { id: string; version: number }, walletId: string, number: number, dueAt: Date): OutboxEvent {
  return paymentOccurrenceDue.create(
    { scheduleId: row.id, walletId, version: row.version, number, dueAt: dueAt.toISOString() },
    { id: `occurrence-due:${row.id}:v${row.version}:n${number}` },
  );
}

const changedEvent = (row: { id: string; version: number }): OutboxEvent =>
  paymentScheduleChanged.create({ scheduleId: row.id, version: row.version }, { id: `schedule-changed:${row.id}:v${row.version}` });

async function payerWalletId(tx: Tx, userId: string): Promise<string> {
  return (await tx.wallet.findUniqueOrThrow({ where: { userId }, select: { id: true } })).id;
}

async function activeCount(tx: Tx, userId: string): Promise<number> {
  return tx.scheduledPayment.count({ where: { userId, status: "active" } });
}

function assertUnderLimit(count: number): void {
  if (count >= paymentRules.maxActiveSchedules) {
    throw new AppError(
      "SCHEDULE_LIMIT_REACHED",
      `You have ${paymentRules.maxActiveSchedules} active scheduled payments, the most a wallet can have. Cancel one to add another.`,
    );
  }
}

/** POST /api/scheduled-payments. Re-authentication first, as for email changes. */
export async function createSchedule(options: { user: CurrentUser; input: ScheduleInput; meta: RequestMeta }): Promise<ScheduleView> {
  const { user, input, meta } = options;
  const at = await now();
  assertPaymentAmount(input.amount);
  const firstRunAt = new Date(input.firstRunAt);
  assertLead(at, firstRunAt, "firstRunAt");
  const endsOn = endsOnInstant(input.endsOn);
  if (endsOn && endsOn <= firstRunAt) {
    throw new AppError("INVALID_INPUT", "The end date is before the first payment.", {
      fields: { endsOn: "The end date is before the first payment." },
    });
  }
  await checkPassword({ user, password: input.password, meta });
  await assertNotCoolingOff(user.id, at);
  const recipient = await findRecipient(user.id, input.toPhone);

  const { row, outbox } = await db.$transaction(async (tx) => {
    // The user's row serialises this user's schedule changes: two creates at
    // once cannot both pass the limit.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
    assertUnderLimit(await activeCount(tx, user.id));
    const row = await tx.scheduledPayment.create({
      data: {
        userId: user.id,
        toPhone: input.toPhone,
        recipientId: recipient.id,
        amount: input.amount,
        note: input.note,
        repeat: input.repeat,
        anchorAt: firstRunAt,
        endsAfter: input.endsAfter ?? null,
        endsOn,
        remind: input.remind ?? true,
        nextRunAt: firstRunAt,
        occurrences: { create: { number: 1, dueAt: firstRunAt } },
      },
    });
    await recordAudit({ userId: user.id, action: "payment.scheduled", details: { scheduleId: row.id }, meta }, tx);
    const outbox = await enqueue(tx, occurrenceDueEvent(row, await payerWalletId(tx, user.id), 1, firstRunAt));
    return { row, outbox };
  });
  relayAfterCommit(outbox);
  return getSchedule(user.id, row.id).then((detail) => detail.schedule);
}

export async function listSchedules(userId: string): Promise<ScheduleView[]> {
  const rows = await db.scheduledPayment.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }], select: SCHEDULE_SELECT });
  return rows.map(presentSchedule);
}

export async function getSchedule(userId: string, id: string): Promise<{ schedule: ScheduleView; occurrences: OccurrenceView[] }> {
  const row = await db.scheduledPayment.findFirst({
    where: { id, userId },
    select: { ...SCHEDULE_SELECT, occurrences: { orderBy: { number: "desc" } } },
  });
  if (!row) throw notFound();
  return { schedule: presentSchedule(row), occurrences: row.occurrences.map(presentOccurrence) };
}

type Change = (context: { tx: Tx; row: ScheduledPayment; at: Date; walletId: string }) => Promise<{
  data: Partial<ScheduledPayment>;
  /** The next occurrence's new due time, when there still is one; null ends the schedule's runs. */
  next: { number: number; dueAt: Date } | null;
}>;

/**
 * The frame of every change: lock the row (it must be this user's), apply
 * the change, bump the version, and write the events. Returns the new view.
 */
async function changeSchedule(
  userId: string,
  id: string,
  meta: RequestMeta,
  action: "payment.schedule_changed" | "payment.schedule_cancelled",
  change: Change,
): Promise<ScheduleView> {
  const at = await now();
  const outbox = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM scheduled_payments WHERE id = ${id}::uuid AND user_id = ${userId}::uuid FOR UPDATE`;
    const row = await tx.scheduledPayment.findFirst({ where: { id, userId } });
    if (!row) throw notFound();
    const walletId = await payerWalletId(tx, userId);
    const { data, next } = await change({ tx, row, at, walletId });
    const updated = await tx.scheduledPayment.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    const events = [changedEvent(updated)];
    if (next && updated.status === "active") {
      await tx.paymentOccurrence.upsert({
        where: { scheduleId_number: { scheduleId: id, number: next.number } },
        create: { scheduleId: id, number: next.number, dueAt: next.dueAt },
        update: { dueAt: next.dueAt, status: "scheduled", attempts: 0, nextAttemptAt: null },
      });
      events.push(occurrenceDueEvent(updated, walletId, next.number, next.dueAt));
    }
    await recordAudit({ userId, action, details: { scheduleId: id, version: updated.version }, meta }, tx);
    return enqueue(tx, events);
  });
  relayAfterCommit(outbox);
  return getSchedule(userId, id).then((detail) => detail.schedule);
}

function assertActive(row: ScheduledPayment): void {
  if (row.status !== "active") {
    throw new AppError("SCHEDULE_NOT_ACTIVE", `This scheduled payment is ${row.status}: it cannot be changed.`);
  }
}

function assertRecurring(row: ScheduledPayment, what: string): void {
  if (row.repeat === "none") throw new AppError("SCHEDULE_NOT_ACTIVE", `A one-off payment cannot be ${what}. Cancel it instead.`);
}

/** The next occurrence may be changed only while nothing of it has run (not while it is being retried). */
async function assertNextNotStarted(tx: Tx, row: ScheduledPayment): Promise<void> {
  const next = await tx.paymentOccurrence.findUnique({ where: { scheduleId_number: { scheduleId: row.id, number: row.nextNumber } } });
  if (next && next.status !== "scheduled") {
    throw new AppError(
      "SCHEDULE_NOT_ACTIVE",
      "The next payment has already started (it is being retried). Change the schedule after it ends.",
    );
  }
}

/** PATCH /api/scheduled-payments/:id: amount, next run time, repeat, end. */
export async function rescheduleSchedule(options: { userId: string; id: string; input: ScheduleChangeInput; meta: RequestMeta }) {
  const { userId, id, input, meta } = options;
  if (input.amount !== undefined) assertPaymentAmount(input.amount);
  return changeSchedule(userId, id, meta, "payment.schedule_changed", async ({ tx, row, at }) => {
    assertActive(row);
    await assertNextNotStarted(tx, row);
    if (input.amount !== undefined && input.amount > row.amount) await assertNotCoolingOff(userId, at);
    if (input.nextRunAt !== undefined) assertLead(at, new Date(input.nextRunAt), "nextRunAt");
    // The series restarts from the next occurrence: at the new time if one
    // was given, else where it was due.
    const anchorAt = input.nextRunAt !== undefined ? new Date(input.nextRunAt) : row.nextRunAt!;
    const plan: Plan = {
      anchorAt,
      anchorNumber: row.nextNumber,
      repeat: input.repeat ?? row.repeat,
      endsAfter: input.endsAfter !== undefined ? input.endsAfter : row.endsAfter,
      endsOn: input.endsOn !== undefined ? endsOnInstant(input.endsOn) : row.endsOn,
    };
    const dueAt = dueOf(plan, row.nextNumber);
    if (!dueAt) {
      const message =
        plan.endsAfter !== null && row.nextNumber > plan.endsAfter
          ? `${row.nextNumber - 1} payments have already been made: end after at least ${row.nextNumber}.`
          : "The end date is before the next payment.";
      throw new AppError("INVALID_INPUT", message, {
        fields: { [plan.endsAfter !== null && row.nextNumber > plan.endsAfter ? "endsAfter" : "endsOn"]: message },
      });
    }
    return {
      data: { ...plan, amount: input.amount ?? row.amount, nextRunAt: dueAt },
      next: { number: row.nextNumber, dueAt },
    };
  });
}

/** Skips the next occurrence of a recurring payment; the one after becomes next (or the schedule completes). */
export async function skipNext(options: { userId: string; id: string; meta: RequestMeta }) {
  return changeSchedule(options.userId, options.id, options.meta, "payment.schedule_changed", async ({ tx, row }) => {
    assertActive(row);
    assertRecurring(row, "skipped");
    await assertNextNotStarted(tx, row);
    await tx.paymentOccurrence.upsert({
      where: { scheduleId_number: { scheduleId: row.id, number: row.nextNumber } },
      create: { scheduleId: row.id, number: row.nextNumber, dueAt: row.nextRunAt!, status: "skipped" },
      update: { status: "skipped" },
    });
    const number = row.nextNumber + 1;
    const dueAt = dueOf(planOf(row), number);
    if (!dueAt) return { data: { status: "completed", nextRunAt: null, nextNumber: number }, next: null };
    return { data: { nextNumber: number, nextRunAt: dueAt }, next: { number, dueAt } };
  });
}

export async function pauseSchedule(options: { userId: string; id: string; meta: RequestMeta }) {
  return changeSchedule(options.userId, options.id, options.meta, "payment.schedule_changed", async ({ tx, row }) => {
    assertActive(row);
    assertRecurring(row, "paused");
    await assertNextNotStarted(tx, row);
    return { data: { status: "paused" }, next: null };
  });
}

/** Resumes at the series' first slot from now on: what fell while paused does not run. */
export async function resumeSchedule(options: { userId: string; id: string; meta: RequestMeta }) {
  return changeSchedule(options.userId, options.id, options.meta, "payment.schedule_changed", async ({ tx, row, at }) => {
    if (row.status !== "paused") throw new AppError("SCHEDULE_NOT_ACTIVE", `This scheduled payment is ${row.status}, not paused.`);
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${row.userId}::uuid FOR UPDATE`;
    assertUnderLimit(await activeCount(tx, row.userId));
    const from = new Date(at.getTime() + paymentRules.minLeadMs);
    const slot = firstSlotFrom(row.nextRunAt!, row.repeat, from);
    const plan = { ...planOf(row), anchorAt: slot ?? row.nextRunAt!, anchorNumber: row.nextNumber };
    const dueAt = slot && dueOf(plan, row.nextNumber);
    if (!dueAt) return { data: { status: "completed", nextRunAt: null }, next: null };
    return {
      data: { status: "active", anchorAt: plan.anchorAt, anchorNumber: plan.anchorNumber, nextRunAt: dueAt, consecutiveFailures: 0 },
      next: { number: row.nextNumber, dueAt },
    };
  });
}

/** DELETE /api/scheduled-payments/:id: nothing more runs. Cancelling a cancelled schedule changes nothing. */
export async function cancelSchedule(options: { userId: string; id: string; meta: RequestMeta }) {
  return changeSchedule(options.userId, options.id, options.meta, "payment.schedule_cancelled", async ({ tx, row }) => {
    if (row.status === "completed")
      throw new AppError("SCHEDULE_NOT_ACTIVE", "This scheduled payment has completed: there is nothing to cancel.");
    if (row.status === "cancelled") return { data: {}, next: null };
    // An occurrence being retried ends as failed; one not started yet is simply not there any more.
    await tx.paymentOccurrence.updateMany({
      where: { scheduleId: row.id, status: "retrying" },
      data: { status: "failed", failureReason: "Cancelled while waiting to be retried.", nextAttemptAt: null },
    });
    await tx.paymentOccurrence.deleteMany({ where: { scheduleId: row.id, status: "scheduled" } });
    return { data: { status: "cancelled", nextRunAt: null }, next: null };
  });
}
