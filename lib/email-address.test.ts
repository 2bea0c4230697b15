import { describe, expect, it } from "vitest";
import { canonicalEmail, maskEmail } from "./email-address";

describe("canonicalEmail", () => {
  it.each([
    ["  Ram.Bahadur@Example.COM ", "ram.bahadur@example.com"],
    ["user+tag@sub.example.org", "user+tag@sub.example.org"],
    ["SITA@bücher.example", "sita@xn--bcher-kva.example"],
    ["e\u0301lan@example.com", "\u00e9lan@example.com"],
  ])("canonicalises %s", (input, expected) => {
    expect(canonicalEmail(input)).toBe(expected);
  });

  it("maps an address and its decomposed Unicode twin to one form", () => {
    expect(canonicalEmail("E\u0301lan@Example.com")).toBe(canonicalEmail("\u00c9lan@example.com"));
  });

  it.each([
    "",
    "plain",
    "@example.com",
    "user@",
    "user@localhost",
    "a..b@example.com",
    ".a@example.com",
    "a@-x.com",
    "a b@example.com",
    "a@example.123",
    `${"a".repeat(65)}@example.com`,
  ])("rejects %j", (input) => {
    expect(canonicalEmail(input)).toBeNull();
  });
});

describe("maskEmail", () => {
  it("keeps the first letter and the domain", () => {
    expect(maskEmail("nabin@example.com")).toBe("n***@example.com");
    expect(maskEmail("a@example.com")).toBe("a***@example.com");
  });

  it("never shows the rest of the local part", () => {
    expect(maskEmail("secretname@example.com")).not.toContain("ecretname");
  });
});
