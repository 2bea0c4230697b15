import { describe, expect, it } from "vitest";
import { fullNameField, requestEmailInput, signUpInput } from "@/lib/schemas";

const signUp = { phone: "9810578899", fullName: "Sita Sharma", password: "wallet-pass-42" };

describe("fullNameField", () => {
  it.each([
    ["Sita Sharma", "Sita Sharma"],
    ["  Ram   Bahadur  Thapa ", "Ram Bahadur Thapa"],
    ["Mary-Jane O'Neil Jr.", "Mary-Jane O'Neil Jr."],
    ["J.R.R. Tolkien", "J.R.R. Tolkien"],
    ["\u0938\u0940\u0924\u093e \u0936\u0930\u094d\u092e\u093e", "\u0938\u0940\u0924\u093e \u0936\u0930\u094d\u092e\u093e"],
    ["Zo\u00eb Ren\u00e9e", "Zo\u00eb Ren\u00e9e"],
  ])("accepts %j", (input, expected) => {
    expect(fullNameField.parse(input)).toBe(expected);
  });

  // The name is typed by whoever signs up; it must not be a vehicle for a
  // link, a phone number or hidden text in anything the app shows or sends.
  it.each([
    ["digits", "Call 9810578899"],
    ["a URL", "Visit https://evil.example"],
    ["a bare domain", "win at evil.example now"],
    ["a slash", "Ram/Shyam"],
    ["an at sign", "ram@example"],
    ["NUL", "Sita\u0000Sharma"],
    ["a newline", "Sita\nSharma"],
    ["a tab", "Sita\tSharma"],
    ["a right-to-left override", "Sita \u202eamrahS"],
    ["a zero-width space", "Sita\u200bSharma"],
    ["a zero-width joiner", "Sita\u200dSharma"],
    ["a BOM", "\ufeffSita Sharma"],
    ["an emoji", "Sita \u{1F600}"],
    ["an astral letter", "\u{1D4EA}ita Sharma"],
    ["angle brackets", "<b>Sita</b>"],
  ])("refuses a name with %s", (_name, input) => {
    expect(fullNameField.safeParse(input).success).toBe(false);
  });

  it("refuses a name made only of punctuation", () => {
    expect(fullNameField.safeParse(".-'").success).toBe(false);
  });
});

describe("input with NUL or astral characters is refused by the schema (422), never reaching the database", () => {
  it.each([
    ["a NUL in the name", { ...signUp, fullName: "Sita\u0000" }],
    ["an emoji opening the address", { ...signUp, email: "\u{1F600}a@example.com" }],
    ["a mathematical letter opening the address", { ...signUp, email: "\u{1D4EA}@example.com" }],
    ["a NUL in the address", { ...signUp, email: "a\u0000@example.com" }],
  ])("sign-up with %s", (_name, body) => {
    expect(signUpInput.safeParse(body).success).toBe(false);
  });

  it("add-email with an astral character in the address", () => {
    expect(requestEmailInput.safeParse({ email: "\u{1F600}@example.com", password: "x" }).success).toBe(false);
  });
});
