import { describe, expect, it } from "vitest";
import { formatPaisa, parseRupees } from "@/lib/money";

describe("formatPaisa", () => {
  it.each([
    [0, "Rs. 0.00"],
    [5, "Rs. 0.05"],
    [123450, "Rs. 1,234.50"],
    [10_000_000_00, "Rs. 10,000,000.00"],
    [-2_500_00, "-Rs. 2,500.00"],
  ])("%i paisa → %s", (paisa, text) => expect(formatPaisa(paisa)).toBe(text));
});

describe("parseRupees", () => {
  it.each([
    ["10", 1000],
    ["10.5", 1050],
    ["10.05", 1005],
    ["1,234.50", 123450],
    ["Rs. 50", 5000],
    ["NPR 25000", 2500000],
    [" 0.01 ", 1],
  ])("%s → %i paisa", (text, paisa) => expect(parseRupees(text)).toBe(paisa));

  it.each(["", "abc", "10.001", "-5", "1,23", "1e3", "12,34.00", "10.", ".5", "99999999999999999999"])("refuses %j", (text) =>
    expect(parseRupees(text)).toBeNull(),
  );
});
