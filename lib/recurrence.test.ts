import { describe, expect, it } from "vitest";
import { dueOf, firstSlotFrom, occurrenceAfter } from "@/lib/recurrence";
import { endOfNepalDay, fromNepalLocal, toNepalLocal } from "@/lib/nepal-time";

const at = (local: string) => fromNepalLocal(local)!;
const series = (anchor: string, repeat: "daily" | "weekly" | "monthly", count: number) =>
  Array.from({ length: count }, (_, steps) => toNepalLocal(occurrenceAfter(at(anchor), repeat, steps)!));

describe("occurrenceAfter", () => {
  it("a one-off payment has only its first occurrence", () => {
    expect(occurrenceAfter(at("2026-12-01T09:00"), "none", 0)).toEqual(at("2026-12-01T09:00"));
    expect(occurrenceAfter(at("2026-12-01T09:00"), "none", 1)).toBeNull();
  });

  it("daily and weekly keep the Nepal time of day", () => {
    expect(series("2026-12-30T23:50", "daily", 3)).toEqual(["2026-12-30T23:50", "2026-12-31T23:50", "2027-01-01T23:50"]);
    expect(series("2026-12-01T09:00", "weekly", 3)).toEqual(["2026-12-01T09:00", "2026-12-08T09:00", "2026-12-15T09:00"]);
  });

  it("monthly on the 31st runs on the last day of shorter months and returns to the 31st", () => {
    expect(series("2027-01-31T10:00", "monthly", 5)).toEqual([
      "2027-01-31T10:00",
      "2027-02-28T10:00",
      "2027-03-31T10:00",
      "2027-04-30T10:00",
      "2027-05-31T10:00",
    ]);
  });

  it("monthly on the 29th in a leap year's February, and across a year end", () => {
    expect(series("2027-12-29T08:15", "monthly", 3)).toEqual(["2027-12-29T08:15", "2028-01-29T08:15", "2028-02-29T08:15"]);
    expect(series("2026-11-30T07:00", "monthly", 4)).toEqual([
      "2026-11-30T07:00",
      "2026-12-30T07:00",
      "2027-01-30T07:00",
      "2027-02-28T07:00",
    ]);
  });

  it("a Nepal time just after midnight (the previous day in UTC) stays on its Nepal date", () => {
    expect(series("2027-01-31T00:30", "monthly", 2)).toEqual(["2027-01-31T00:30", "2027-02-28T00:30"]);
  });
});

describe("dueOf and firstSlotFrom", () => {
  const plan = { anchorAt: at("2026-12-31T09:00"), anchorNumber: 1, repeat: "monthly" as const, endsAfter: null, endsOn: null };

  it("ends after N occurrences, or before the end of the chosen Nepal day", () => {
    expect(dueOf({ ...plan, endsAfter: 2 }, 2)).toEqual(at("2027-01-31T09:00"));
    expect(dueOf({ ...plan, endsAfter: 2 }, 3)).toBeNull();
    // Ends on 28 Feb 2027 (inclusive): the 28 Feb occurrence runs, the 31 Mar one does not.
    const endsOn = endOfNepalDay("2027-02-28");
    expect(dueOf({ ...plan, endsOn }, 3)).toEqual(at("2027-02-28T09:00"));
    expect(dueOf({ ...plan, endsOn }, 4)).toBeNull();
  });

  it("after a reschedule the series counts from the new anchor", () => {
    const moved = { ...plan, anchorAt: at("2027-02-10T18:00"), anchorNumber: 3 };
    expect(dueOf(moved, 3)).toEqual(at("2027-02-10T18:00"));
    expect(dueOf(moved, 4)).toEqual(at("2027-03-10T18:00"));
    expect(() => dueOf(moved, 2)).toThrow();
  });

  it("a resumed series continues at its next slot, not with the ones that fell while paused", () => {
    expect(firstSlotFrom(at("2026-12-01T09:00"), "weekly", at("2026-12-20T12:00"))).toEqual(at("2026-12-22T09:00"));
    expect(firstSlotFrom(at("2026-12-01T09:00"), "weekly", at("2026-11-20T12:00"))).toEqual(at("2026-12-01T09:00"));
    expect(firstSlotFrom(at("2026-12-01T09:00"), "none", at("2026-12-20T12:00"))).toBeNull();
  });
});
