import { describe, expect, it } from "vitest";
import { rescheduleForm, rupeesInputValue, scheduleForm, transferForm } from "@/lib/payment-forms";

const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("transferForm", () => {
  it("reads rupees as paisa and the number in its canonical form", () => {
    expect(transferForm.parse({ toPhone: "981-0578899", amount: "1,250.5", note: "", password: "x" })).toEqual({
      toPhone: "+9779810578899",
      amount: 125050,
      note: null,
      password: "x",
    });
  });

  it("names every field in error at once, the bad amount in rupees' words", () => {
    const fields = fieldsOf(transferForm.safeParse({ toPhone: "123", amount: "12.345", password: "" }));
    expect(fields).toEqual({
      toPhone: "Enter a Nepali mobile number, e.g. 9810578899.",
      amount: "Enter the amount in rupees, e.g. 1,250.50.",
      password: "Enter your password.",
    });
  });

  it("applies the payment limits to the converted amount", () => {
    expect(fieldsOf(transferForm.safeParse({ toPhone: "9810578899", amount: "9.99", password: "x" })).amount).toBe(
      "Enter an amount from Rs. 10.00 to Rs. 25,000.00.",
    );
  });
});

describe("scheduleForm", () => {
  const base = { toPhone: "9810578899", amount: "500", firstRunAt: "2026-12-01T09:30", repeat: "monthly", end: "never", password: "x" };

  it("reads the first run as Nepal time, the end from the chosen option and the unticked reminder as false", () => {
    expect(scheduleForm.parse({ ...base, end: "after", endsAfter: "3", endsOn: "2027-01-01" })).toMatchObject({
      amount: 50000,
      firstRunAt: "2026-12-01T03:45:00.000Z",
      endsAfter: 3,
      endsOn: null,
      remind: false,
    });
    expect(scheduleForm.parse({ ...base, end: "on", endsOn: "2027-01-01", remind: "on" })).toMatchObject({
      endsAfter: null,
      endsOn: "2027-01-01",
      remind: true,
    });
  });

  it("refuses a malformed time, a missing count and a missing date under their fields", () => {
    expect(fieldsOf(scheduleForm.safeParse({ ...base, firstRunAt: "2026-02-30T09:00" }))).toEqual({
      firstRunAt: "Choose a date and a time (Nepal time).",
    });
    expect(Object.keys(fieldsOf(scheduleForm.safeParse({ ...base, end: "after", endsAfter: "0" })))).toEqual(["endsAfter"]);
    expect(Object.keys(fieldsOf(scheduleForm.safeParse({ ...base, end: "on", endsOn: "" })))).toEqual(["endsOn"]);
  });
});

describe("rescheduleForm", () => {
  const was = {
    wasAmount: "500.00",
    wasNextRunAt: "2026-12-01T09:30",
    wasRepeat: "monthly",
    wasEnd: "never",
    wasEndsAfter: "",
    wasEndsOn: "",
  };
  const same = { amount: "500.00", nextRunAt: "2026-12-01T09:30", repeat: "monthly", end: "never", endsAfter: "", endsOn: "" };

  it("sends only what changed", () => {
    expect(rescheduleForm.parse({ ...was, ...same, amount: "750" })).toEqual({ amount: 75000 });
    expect(rescheduleForm.parse({ ...was, ...same, nextRunAt: "2026-12-02T10:00", end: "after", endsAfter: "2" })).toEqual({
      nextRunAt: "2026-12-02T04:15:00.000Z",
      endsAfter: 2,
      endsOn: null,
    });
  });

  it("says so when nothing changed", () => {
    expect(fieldsOf(rescheduleForm.safeParse({ ...was, ...same })).amount).toMatch(/Nothing was changed/);
  });
});

it("shows paisa in the amount field so that it reads back the same", () => {
  expect(rupeesInputValue(125005)).toBe("1250.05");
  expect(rupeesInputValue(1000)).toBe("10.00");
});
