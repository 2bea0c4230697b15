import "server-only";
import { toNepalLocal } from "@/lib/nepal-time";
import { maskPhone } from "@/lib/phone";
import type { OccurrenceView, ScheduleView } from "@/lib/api";
import type { OccurrenceStatus, ScheduleRepeat, ScheduleStatus } from "@/server/generated/prisma/client";

export type { OccurrenceView, ScheduleView };

// The API's `schedule` and `occurrence` (docs/product/payments.md), for the
// JSON routes and the pages alike. Times are ISO 8601 instants; `endsOn` is
// the last Nepal calendar day on which a payment may run.

export const SCHEDULE_SELECT = {
  id: true,
  toPhone: true,
  amount: true,
  note: true,
  repeat: true,
  endsAfter: true,
  endsOn: true,
  status: true,
  nextRunAt: true,
  remind: true,
  createdAt: true,
  recipient: { select: { fullName: true } },
} as const;

type ScheduleRow = {
  id: string;
  toPhone: string;
  amount: number;
  note: string | null;
  repeat: ScheduleRepeat;
  endsAfter: number | null;
  endsOn: Date | null;
  status: ScheduleStatus;
  nextRunAt: Date | null;
  remind: boolean;
  createdAt: Date;
  recipient: { fullName: string } | null;
};

export function presentSchedule(row: ScheduleRow): ScheduleView {
  return {
    id: row.id,
    toPhone: maskPhone(row.toPhone),
    toName: row.recipient?.fullName ?? null,
    amount: row.amount,
    note: row.note,
    repeat: row.repeat,
    endsAfter: row.endsAfter,
    // Stored as the instant the chosen day ends (exclusive): the day is the one just before.
    endsOn: row.endsOn && toNepalLocal(new Date(row.endsOn.getTime() - 1)).slice(0, 10),
    status: row.status,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    remind: row.remind,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentOccurrence(row: {
  number: number;
  dueAt: Date;
  status: OccurrenceStatus;
  attempts: number;
  failureReason: string | null;
  entryId: string | null;
  executedAt: Date | null;
}): OccurrenceView {
  return {
    number: row.number,
    dueAt: row.dueAt.toISOString(),
    status: row.status,
    attempts: row.attempts,
    failureReason: row.failureReason,
    entryId: row.entryId,
    executedAt: row.executedAt?.toISOString() ?? null,
  };
}
