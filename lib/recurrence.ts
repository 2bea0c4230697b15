// When each occurrence of a scheduled payment falls. Pure arithmetic on Nepal
// wall-clock time (UTC+05:45, no daylight saving): a daily payment keeps its
// time of day, a weekly one its weekday, a monthly one its day of the month,
// and a monthly payment set for the 29th to 31st runs on the last day of
// shorter months (and goes back to its day in longer ones).

import { NEPAL_OFFSET_MS } from "@/lib/nepal-time";

export const REPEATS = ["none", "daily", "weekly", "monthly"] as const;
export type Repeat = (typeof REPEATS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The due time of the occurrence `steps` after the anchor (steps = 0 is the
 * anchor itself). A one-off payment has no later occurrence: null.
 */
export function occurrenceAfter(anchor: Date, repeat: Repeat, steps: number): Date | null {
  if (!Number.isInteger(steps) || steps < 0) throw new Error("steps must be a whole number ≥ 0");
  if (steps === 0) return anchor;
  switch (repeat) {
    case "none":
      return null;
    case "daily":
      return new Date(anchor.getTime() + steps * DAY_MS);
    case "weekly":
      return new Date(anchor.getTime() + steps * 7 * DAY_MS);
    case "monthly": {
      const local = new Date(anchor.getTime() + NEPAL_OFFSET_MS);
      const monthIndex = local.getUTCMonth() + steps;
      const year = local.getUTCFullYear() + Math.floor(monthIndex / 12);
      const month = monthIndex % 12;
      const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      const day = Math.min(local.getUTCDate(), lastDay);
      const wall = Date.UTC(
        year,
        month,
        day,
        local.getUTCHours(),
        local.getUTCMinutes(),
        local.getUTCSeconds(),
        local.getUTCMilliseconds(),
      );
      return new Date(wall - NEPAL_OFFSET_MS);
    }
  }
}

/** What decides a schedule's occurrences: occurrence k falls `k - anchorNumber` steps after the anchor. */
export type Plan = { anchorAt: Date; anchorNumber: number; repeat: Repeat; endsAfter: number | null; endsOn: Date | null };

/** When occurrence `number` is due, or null when the schedule has ended before it (one-off, after N, past the end date). */
export function dueOf(plan: Plan, number: number): Date | null {
  if (number < plan.anchorNumber) throw new Error("dueOf: occurrences before the anchor are history");
  if (plan.endsAfter !== null && number > plan.endsAfter) return null;
  const due = occurrenceAfter(plan.anchorAt, plan.repeat, number - plan.anchorNumber);
  if (!due || (plan.endsOn && due.getTime() >= plan.endsOn.getTime())) return null;
  return due;
}

/**
 * The first slot of the series at or after `from` (a resumed payment does
 * not run the ones that fell while it was paused). The anchor itself when it
 * is not past; null for a one-off whose time has passed.
 */
export function firstSlotFrom(anchor: Date, repeat: Repeat, from: Date): Date | null {
  for (let steps = 0; ; steps++) {
    const slot = occurrenceAfter(anchor, repeat, steps);
    if (!slot) return null;
    if (slot.getTime() >= from.getTime()) return slot;
  }
}
