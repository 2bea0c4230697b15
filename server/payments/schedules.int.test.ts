import { describe, expect, it } from "vitest";
import { toNepalLocal } from "@/lib/nepal-time";
import { paymentRules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { executeOccurrence } from "@/server/payments/execute-occurrence";
import {
  cancelSchedule,
  createSchedule,
  getSchedule,
  pauseSchedule,
  rescheduleSchedule,
  resumeSchedule,
  skipNext,
} from "@/server/payments/schedules";
import { topUp } from "@/server/wallet/top-up";
import { createUser, createVerifiedUser, type TestUser } from "@/tests/support/factories";
import { startChange } from "@/tests/support/flows";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const meta = NO_META;

const balanceOf = async (userId: string) => Number((await db.wallet.findUniqueOrThrow({ where: { userId } })).balance);
const row = (id: string) => db.scheduledPayment.findUniqueOrThrow({ where: { id } });
const entriesOf = (id: string) => db.ledgerEntry.count({ where: { idempotencyKey: { startsWith: `schedule:${id}:` } } });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function setup(
  options: { balance?: number; repeat?: "none" | "daily" | "weekly" | "monthly"; amount?: number; firstRunAt?: Date } = {},
) {
  const payer = await createUser();
  const recipient = await createUser({ fullName: "Gita Rai" });
  if (options.balance !== 0) await topUp({ userId: payer.id, amount: options.balance ?? 10_000_00 });
  const firstRunAt = options.firstRunAt ?? new Date(Date.now() + HOUR);
  const schedule = await createSchedule({
    user: payer,
    input: {
      toPhone: recipient.phone,
      amount: options.amount ?? 1_000_00,
      note: "Rent",
      firstRunAt: firstRunAt.toISOString(),
      repeat: options.repeat ?? "monthly",
      password: payer.password,
    },
    meta,
  });
  return { payer, recipient, schedule, firstRunAt };
}

/** Runs occurrence `number` of the schedule's current version at `at`. */
async function run(scheduleId: string, at: Date) {
  const current = await row(scheduleId);
  return executeOccurrence({ scheduleId, version: current.version, number: current.nextNumber, at });
}

describe("scheduling", () => {
  it("creates an active schedule whose first occurrence is scheduled, shown in the API's shape", async () => {
    const { schedule, firstRunAt, recipient } = await setup();
    expect(schedule).toMatchObject({ status: "active", amount: 1_000_00, note: "Rent", repeat: "monthly", toName: "Gita Rai" });
    expect(schedule.nextRunAt).toBe(firstRunAt.toISOString());
    expect(schedule.toPhone).not.toContain(recipient.phone.slice(4));
    const detail = await getSchedule((await row(schedule.id)).userId, schedule.id);
    expect(detail.occurrences).toEqual([expect.objectContaining({ number: 1, status: "scheduled", attempts: 0, entryId: null })]);
  });

  it("refuses a first run less than 5 minutes or more than a year ahead, naming the field", async () => {
    const payer = await createUser();
    const recipient = await createUser();
    const input = { toPhone: recipient.phone, amount: 10_00, note: null, repeat: "none" as const, password: payer.password };
    for (const offset of [4 * 60 * 1000, 366 * DAY]) {
      const error = await createSchedule({
        user: payer,
        input: { ...input, firstRunAt: new Date(Date.now() + offset).toISOString() },
        meta,
      }).catch((caught: unknown) => caught);
      expect(isAppError(error) && error.fields).toHaveProperty("firstRunAt");
    }
    expect(await db.scheduledPayment.count({ where: { userId: payer.id } })).toBe(0);
  });

  it("allows 20 active schedules per wallet, even when created at once", async () => {
    const payer = await createUser();
    const recipient = await createUser();
    const input = (i: number) => ({
      toPhone: recipient.phone,
      amount: 10_00,
      note: null,
      repeat: "daily" as const,
      password: payer.password,
      firstRunAt: new Date(Date.now() + HOUR + i * 1000).toISOString(),
    });
    for (let i = 0; i < 18; i++) await createSchedule({ user: payer, input: input(i), meta });
    // The last two places, raced by four (fewer than the lockout's reserved
    // attempts, so every one gets to the limit check).
    const results = await Promise.allSettled([18, 19, 20, 21].map((i) => createSchedule({ user: payer, input: input(i), meta })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(2);
    const refusals = results.flatMap((result) => (result.status === "rejected" && isAppError(result.reason) ? [result.reason.code] : []));
    expect(refusals).toEqual(["SCHEDULE_LIMIT_REACHED", "SCHEDULE_LIMIT_REACHED"]);
    expect(await db.scheduledPayment.count({ where: { userId: payer.id, status: "active" } })).toBe(paymentRules.maxActiveSchedules);
  });

  it("cooling-off: for 24 hours after an email change, no new schedule and no amount increase; a decrease is fine", async () => {
    const { payer, schedule } = await setup();
    const verified = await createVerifiedUser();
    // The fact the rule reads: a change of address completed just now (the
    // email flow's own tests cover how it gets there).
    const { request } = await startChange(verified);
    await db.emailRequest.update({ where: { id: request.id }, data: { status: "completed", currentHop: null, closedAt: new Date() } });
    const recipient = await createUser();
    const input = { toPhone: recipient.phone, amount: 10_00, note: null, repeat: "none" as const, password: verified.password };
    const error = await createSchedule({
      user: verified,
      input: { ...input, firstRunAt: new Date(Date.now() + HOUR).toISOString() },
      meta,
    }).catch((caught: unknown) => caught);
    expect(isAppError(error) && error.toBody().error).toMatchObject({ code: "COOLING_OFF", until: expect.any(String) });
    expect(await rescheduleSchedule({ userId: payer.id, id: schedule.id, input: { amount: 500_00 }, meta })).toMatchObject({
      amount: 500_00,
    });
    // The same user's schedule: a decrease passes, an increase is refused.
    const own = await setupFor(verified);
    expect(await codeOf(rescheduleSchedule({ userId: verified.id, id: own.id, input: { amount: 20_00 }, meta }))).toBe("COOLING_OFF");
    expect(await rescheduleSchedule({ userId: verified.id, id: own.id, input: { amount: 10_00 }, meta })).toMatchObject({ amount: 10_00 });
  });
});

/** A schedule of Rs. 15 made before the user's address changed (written directly: creating one now is what cooling-off refuses). */
async function setupFor(user: TestUser) {
  const recipient = await createUser();
  const at = new Date(Date.now() + HOUR);
  return db.scheduledPayment.create({
    data: {
      userId: user.id,
      toPhone: recipient.phone,
      recipientId: recipient.id,
      amount: 15_00,
      repeat: "none",
      anchorAt: at,
      nextRunAt: at,
      occurrences: { create: { number: 1, dueAt: at } },
    },
  });
}

describe("execution", () => {
  it("at its time: one entry, the occurrence succeeded, the next one scheduled a month later", async () => {
    const { payer, recipient, schedule, firstRunAt } = await setup();
    expect(await run(schedule.id, new Date(firstRunAt.getTime() - 1))).toMatchObject({ outcome: "not-due" });
    expect(await run(schedule.id, firstRunAt)).toMatchObject({ outcome: "succeeded" });
    expect(await balanceOf(payer.id)).toBe(9_000_00);
    expect(await balanceOf(recipient.id)).toBe(1_000_00);
    const detail = await getSchedule(payer.id, schedule.id);
    expect(detail.occurrences.map((occurrence) => [occurrence.number, occurrence.status])).toEqual([
      [2, "scheduled"],
      [1, "succeeded"],
    ]);
    expect(toNepalLocal(new Date(detail.schedule.nextRunAt!)).slice(8)).toBe(toNepalLocal(firstRunAt).slice(8));
  });

  it("20 concurrent executions of one occurrence give exactly one entry", async () => {
    const { payer, schedule, firstRunAt } = await setup();
    const current = await row(schedule.id);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => executeOccurrence({ scheduleId: schedule.id, version: current.version, number: 1, at: firstRunAt })),
    );
    expect(outcomes.filter((outcome) => outcome.outcome === "succeeded")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.outcome === "stale")).toHaveLength(19);
    expect(await entriesOf(schedule.id)).toBe(1);
    expect(await balanceOf(payer.id)).toBe(9_000_00);
  });

  it("a step retried after it wrote the entry writes no second entry", async () => {
    const { payer, schedule, firstRunAt } = await setup();
    const current = await row(schedule.id);
    const attempt = { scheduleId: schedule.id, version: current.version, number: 1, at: firstRunAt };
    expect(await executeOccurrence(attempt)).toMatchObject({ outcome: "succeeded" });
    // The engine did not hear the answer and runs the step again.
    expect(await executeOccurrence(attempt)).toEqual({ outcome: "stale" });
    expect(await entriesOf(schedule.id)).toBe(1);
    expect(await balanceOf(payer.id)).toBe(9_000_00);
  });

  it("a reschedule racing the execution: the occurrence runs at the old time or the new one, never both", async () => {
    for (let round = 0; round < 10; round++) {
      const { payer, schedule, firstRunAt } = await setup({ repeat: "none" });
      const current = await row(schedule.id);
      const later = new Date(firstRunAt.getTime() + 2 * HOUR);
      const [executed, rescheduled] = await Promise.allSettled([
        executeOccurrence({ scheduleId: schedule.id, version: current.version, number: 1, at: firstRunAt }),
        rescheduleSchedule({ userId: payer.id, id: schedule.id, input: { nextRunAt: later.toISOString() }, meta }),
      ]);
      const after = await row(schedule.id);
      if (executed.status === "fulfilled" && executed.value.outcome === "succeeded") {
        // The execution won: the reschedule found nothing left to move.
        expect(rescheduled.status).toBe("rejected");
        expect(after.status).toBe("completed");
      } else {
        expect(executed.status === "fulfilled" && executed.value.outcome).toBe("stale");
        expect(after.nextRunAt).toEqual(later);
        expect(await run(schedule.id, later)).toMatchObject({ outcome: "succeeded" });
      }
      expect(await entriesOf(schedule.id)).toBe(1);
      expect(await balanceOf(payer.id)).toBe(9_000_00);
    }
  });

  it("insufficient funds: retried after 1 h and 6 h, then failed; the balance untouched", async () => {
    const { payer, schedule, firstRunAt } = await setup({ balance: 100_00, repeat: "none" });
    expect(await run(schedule.id, firstRunAt)).toEqual({
      outcome: "retry",
      attempts: 1,
      retryAt: new Date(firstRunAt.getTime() + HOUR).toISOString(),
    });
    expect(await run(schedule.id, new Date(firstRunAt.getTime() + HOUR - 1))).toMatchObject({ outcome: "not-due" });
    expect(await run(schedule.id, new Date(firstRunAt.getTime() + HOUR))).toMatchObject({
      outcome: "retry",
      attempts: 2,
      retryAt: new Date(firstRunAt.getTime() + 6 * HOUR).toISOString(),
    });
    expect(await run(schedule.id, new Date(firstRunAt.getTime() + 6 * HOUR))).toMatchObject({ outcome: "failed", paused: false });
    const detail = await getSchedule(payer.id, schedule.id);
    expect(detail.schedule.status).toBe("completed");
    expect(detail.occurrences[0]).toMatchObject({ status: "failed", attempts: 3, failureReason: "Not enough money in the wallet." });
    expect(await balanceOf(payer.id)).toBe(100_00);
  });

  it("money arriving before a retry: the retry pays", async () => {
    const { payer, schedule, firstRunAt } = await setup({ balance: 100_00, repeat: "none" });
    await run(schedule.id, firstRunAt);
    await topUp({ userId: payer.id, amount: 1_000_00 });
    expect(await run(schedule.id, new Date(firstRunAt.getTime() + HOUR))).toMatchObject({ outcome: "succeeded" });
    expect(await balanceOf(payer.id)).toBe(100_00);
  });

  it("three failed occurrences in a row pause a recurring payment", async () => {
    const { payer, schedule, firstRunAt } = await setup({ balance: 0, repeat: "daily" });
    for (let day = 0; day < 3; day++) {
      const due = new Date(firstRunAt.getTime() + day * DAY);
      await run(schedule.id, due);
      await run(schedule.id, new Date(due.getTime() + HOUR));
      const last = await run(schedule.id, new Date(due.getTime() + 6 * HOUR));
      expect(last).toMatchObject({ outcome: "failed", paused: day === 2 });
    }
    expect((await getSchedule(payer.id, schedule.id)).schedule.status).toBe("paused");
  });

  it("up to 24 hours late still executes once; later is missed and the schedule moves on", async () => {
    const onTime = await setup({ repeat: "daily" });
    expect(await run(onTime.schedule.id, new Date(onTime.firstRunAt.getTime() + DAY))).toMatchObject({ outcome: "succeeded" });
    const late = await setup({ repeat: "daily" });
    expect(await run(late.schedule.id, new Date(late.firstRunAt.getTime() + DAY + 1))).toEqual({ outcome: "missed" });
    expect(await entriesOf(late.schedule.id)).toBe(0);
    const detail = await getSchedule(late.payer.id, late.schedule.id);
    expect(detail.occurrences.map((occurrence) => [occurrence.number, occurrence.status])).toEqual([
      [2, "scheduled"],
      [1, "missed"],
    ]);
  });

  it("monthly over three months: three entries, on the schedule's day", async () => {
    const { payer, schedule } = await setup({ repeat: "monthly", firstRunAt: new Date(Date.now() + HOUR) });
    for (let month = 0; month < 3; month++) {
      const current = await row(schedule.id);
      expect(await run(schedule.id, current.nextRunAt!)).toMatchObject({ outcome: "succeeded" });
    }
    expect(await entriesOf(schedule.id)).toBe(3);
    expect(await balanceOf(payer.id)).toBe(7_000_00);
  });
});

describe("changes", () => {
  it("skip: the next occurrence is skipped and the one after becomes next; a one-off cannot be skipped", async () => {
    const { payer, schedule, firstRunAt } = await setup({ repeat: "weekly" });
    const skipped = await skipNext({ userId: payer.id, id: schedule.id, meta });
    expect(skipped.nextRunAt).toBe(new Date(firstRunAt.getTime() + 7 * DAY).toISOString());
    const oneOff = await setup({ repeat: "none" });
    expect(await codeOf(skipNext({ userId: oneOff.payer.id, id: oneOff.schedule.id, meta }))).toBe("SCHEDULE_NOT_ACTIVE");
  });

  it("a run of the version before a change does nothing", async () => {
    const { payer, schedule, firstRunAt } = await setup({ repeat: "weekly" });
    const before = await row(schedule.id);
    await rescheduleSchedule({ userId: payer.id, id: schedule.id, input: { amount: 20_00 }, meta });
    expect(await executeOccurrence({ scheduleId: schedule.id, version: before.version, number: 1, at: firstRunAt })).toEqual({
      outcome: "stale",
    });
    expect(await run(schedule.id, firstRunAt)).toMatchObject({ outcome: "succeeded" });
    expect(await balanceOf(payer.id)).toBe(10_000_00 - 20_00);
  });

  it("pause, then resume: what fell while paused does not run; the series continues at its next slot", async () => {
    const { payer, schedule, firstRunAt } = await setup({ repeat: "daily" });
    await pauseSchedule({ userId: payer.id, id: schedule.id, meta });
    expect(await run(schedule.id, firstRunAt)).toEqual({ outcome: "stale" });
    const resumed = await resumeSchedule({ userId: payer.id, id: schedule.id, meta });
    expect(resumed.status).toBe("active");
    expect(new Date(resumed.nextRunAt!).getTime()).toBeGreaterThanOrEqual(firstRunAt.getTime());
  });

  it("cancel before the run: nothing runs, nothing moves; cancelling again changes nothing", async () => {
    const { payer, schedule, firstRunAt } = await setup({ repeat: "monthly" });
    expect(await cancelSchedule({ userId: payer.id, id: schedule.id, meta })).toMatchObject({ status: "cancelled", nextRunAt: null });
    expect(await executeOccurrence({ scheduleId: schedule.id, version: 1, number: 1, at: firstRunAt })).toEqual({ outcome: "stale" });
    expect(await cancelSchedule({ userId: payer.id, id: schedule.id, meta })).toMatchObject({ status: "cancelled" });
    expect(await balanceOf(payer.id)).toBe(10_000_00);
    expect((await getSchedule(payer.id, schedule.id)).occurrences).toEqual([]);
  });

  it("another user's schedule is not found, whatever the action", async () => {
    const { schedule } = await setup();
    const stranger = await createUser();
    for (const action of [skipNext, pauseSchedule, resumeSchedule, cancelSchedule]) {
      expect(await codeOf(action({ userId: stranger.id, id: schedule.id, meta }))).toBe("NOT_FOUND");
    }
    expect(await codeOf(getSchedule(stranger.id, schedule.id))).toBe("NOT_FOUND");
  });
});
