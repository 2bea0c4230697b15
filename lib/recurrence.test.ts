import { describe, expect, it } from "vitest";
import { occurrenceAfter } from "@/lib/recurrence";
import { fromNepalLocal, toNepalLocal } from "@/lib/nepal-time";

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
    expect(series("2026-11-30T07:00", "monthly", 4)).toEqual(["2026-11-30T07:00", "2026-12-30T07:00", "2027-01-30T07:00", "2027-02-28T07:00"]);
  });

  it("a Nepal time just after midnight (the previous day in UTC) stays on its Nepal date", () => {
    expect(series("2027-01-31T00:30", "monthly", 2)).toEqual(["2027-01-31T00:30", "2027-02-28T00:30"]);
  });
});
