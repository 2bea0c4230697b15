import { describe, expect, it } from "vitest";
import { canonicalEmail, maskEmail } from "./email-address";

describe("canonicalEmail", () => {
  it.each([
    ["  Ram.Bahadur@Example.COM ", "ram.bahadur@example.com"],
    ["user+tag@sub.example.org", "user+tag@sub.example.org"],
    ["SITA@bücher.example", "sita@xn--bcher-kva.example"],
  ])("canonicalises %s", (input, expected) => {
    expect(canonicalEmail(input)).toBe(expected);
  });

  it("maps an address and its decomposed Unicode twin to one form (when the relay takes Unicode local parts)", () => {
    const unicode = { unicodeLocalPart: true };
    expect(canonicalEmail("e\u0301lan@example.com", unicode)).toBe("\u00e9lan@example.com");
    expect(canonicalEmail("E\u0301lan@Example.com", unicode)).toBe(canonicalEmail("\u00c9lan@example.com", unicode));
  });

  // Without SMTPUTF8 such an address would be stored and shown but never delivered.
  it("refuses a non-ASCII local part unless the relay supports international addresses", () => {
    expect(canonicalEmail("\u00e9lan@example.com")).toBeNull();
    expect(canonicalEmail("\u0930\u093e\u092e@example.com")).toBeNull();
    expect(canonicalEmail("\u0930\u093e\u092e@example.com", { unicodeLocalPart: true })).toBe("\u0930\u093e\u092e@example.com");
  });

  it.each([
    ["zero-width space", "ram\u200b@example.com"],
    ["zero-width joiner", "ra\u200dm@example.com"],
    ["right-to-left override", "\u202eram@example.com"],
    ["left-to-right mark", "ram\u200e@example.com"],
    ["soft hyphen", "ra\u00adm@example.com"],
    ["word joiner", "ram@exa\u2060mple.com"],
    ["BOM", "\ufeffram@example.com"],
    ["NUL", "ram\u0000@example.com"],
    ["DEL", "ram\u007f@example.com"],
    ["C1 control", "ram\u0085@example.com"],
    ["emoji first", "\u{1F600}a@example.com"],
    ["mathematical letter first", "\u{1D4EA}ram@example.com"],
    ["lone surrogate", "\ud83dram@example.com"],
  ])("refuses an address with a %s, even with Unicode local parts allowed", (_name, input) => {
    expect(canonicalEmail(input)).toBeNull();
    expect(canonicalEmail(input, { unicodeLocalPart: true })).toBeNull();
  });

  it("measures the length after the IDN conversion (the stored form)", () => {
    // Labels of 40 different Devanagari letters: 40 characters typed, about 60 in punycode.
    const label = Array.from({ length: 40 }, (_, i) => String.fromCharCode(0x0915 + (i % 37))).join("");
    const input = `${"a".repeat(60)}@${label}.${label}.${label}.${label}.example`;
    expect(input.length).toBeLessThan(254);
    expect(canonicalEmail(input)).toBeNull();
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

  it("never splits a character made of two UTF-16 units", () => {
    const masked = maskEmail("\u{1D4EA}bc@example.com");
    expect(masked).toBe("\u{1D4EA}***@example.com");
    expect(masked.isWellFormed()).toBe(true);
  });

  it("never shows the rest of the local part", () => {
    expect(maskEmail("secretname@example.com")).not.toContain("ecretname");
  });
});
