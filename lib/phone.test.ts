import { describe, expect, it } from "vitest";
import { canonicalPhone, displayPhone } from "./phone";

describe("canonicalPhone", () => {
  it.each([
    ["9810578899", "+9779810578899"],
    ["+9779810578899", "+9779810578899"],
    ["9779810578899", "+9779810578899"],
    ["009779810578899", "+9779810578899"],
    [" +977 981-057-8899 ", "+9779810578899"],
    ["(981) 0578899", "+9779810578899"],
    ["9741234567", "+9779741234567"],
    ["9611234567", "+9779611234567"],
  ])("accepts %s", (input, expected) => {
    expect(canonicalPhone(input)).toBe(expected);
  });

  it.each(["", "981057889", "98105788990", "8810578899", "01-5524415", "+19810578899", "98105788a9", "+977 1 5524415"])(
    "rejects %s",
    (input) => {
      expect(canonicalPhone(input)).toBeNull();
    },
  );

  it("displays the national number", () => {
    expect(displayPhone("+9779810578899")).toBe("9810578899");
  });
});

describe("maskPhone", () => {
  it("keeps the first two and last two digits of the national number", async () => {
    const { maskPhone } = await import("./phone");
    expect(maskPhone("+9779810578899")).toBe("98******99");
    expect(maskPhone("+9779741234567")).toBe("97******67");
  });
});
