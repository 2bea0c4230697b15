import { describe, expect, it } from "vitest";
import { decodeSignInError, encodeSignInError } from "@/lib/sign-in-error";

describe("the sign-in error string", () => {
  it("carries the code, message, attempts left, lock end and milliseconds left from the server to the form", () => {
    const error = { code: "WRONG_PASSWORD" as const, message: "Wrong password. 2 attempts left.", attemptsLeft: 2 };
    expect(decodeSignInError(encodeSignInError(error))).toEqual(error);

    const locked = { code: "LOCKED" as const, message: "Locked.", lockedUntil: "2026-11-23T10:15:00.000Z", retryAfterMs: 899_500 };
    expect(decodeSignInError(encodeSignInError(locked))).toEqual(locked);
  });

  it("carries nothing else (per-field messages and retry times stay on the server)", () => {
    const encoded = encodeSignInError({ code: "INVALID_INPUT", message: "Bad.", fields: { phone: "Enter a number." }, retryAt: "later" });
    expect(decodeSignInError(encoded)).toEqual({ code: "INVALID_INPUT", message: "Bad." });
  });

  it.each([
    ["next-auth's own error name", "CredentialsSignin"],
    ["nothing", null],
    ["undefined", undefined],
    ["an empty object", "{}"],
    ["a code that is not a string", '{"code":1,"message":"x"}'],
    ["JSON that is not an object", "null"],
  ])("turns %s into UNKNOWN with a message people can act on", (_name, value) => {
    const decoded = decodeSignInError(value);
    expect(decoded.code).toBe("UNKNOWN");
    expect(decoded.message).toMatch(/try again/i);
  });
});
