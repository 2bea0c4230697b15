import { describe, expect, it } from "vitest";
import { formatNepalTime, fromNepalLocal, startOfNepalDay, toNepalLocal } from "@/lib/nepal-time";

describe("Nepal time (UTC+05:45, no daylight saving)", () => {
  it("a Nepal calendar day starts at 18:15 UTC the day before", () => {
    expect(startOfNepalDay(new Date("2026-11-23T18:14:59.999Z")).toISOString()).toBe("2026-11-22T18:15:00.000Z");
    expect(startOfNepalDay(new Date("2026-11-23T18:15:00.000Z")).toISOString()).toBe("2026-11-23T18:15:00.000Z");
  });

  it("reads a datetime-local value as Nepal time and writes it back", () => {
    const instant = fromNepalLocal("2026-11-24T09:30");
    expect(instant?.toISOString()).toBe("2026-11-24T03:45:00.000Z");
    expect(toNepalLocal(instant!)).toBe("2026-11-24T09:30");
    expect(formatNepalTime(instant!)).toBe("24 Nov 2026, 09:30 NPT");
  });

  it.each(["2026-02-30T10:00", "2026-13-01T10:00", "2026-11-24T24:00", "2026-11-24 09:30", "tomorrow"])("refuses %j", (input) =>
    expect(fromNepalLocal(input)).toBeNull(),
  );
});
