import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackPath } from "@/lib/safe-redirect";

const ORIGIN = "http://localhost:3000";

// What a browser would do with the path the helper returns: it must stay on our origin.
const landsOn = (path: string) => new URL(path, ORIGIN).origin;

describe("safeCallbackPath", () => {
  it.each([
    "/\\evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0d/evil.example",
    "/\t/evil.example",
    "/ /evil.example",
    "//evil.example",
    "///evil.example",
    "/%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/%255Cevil.example",
    "/.//evil.example",
    "/./\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https://evil.example",
    "https:evil.example",
    "http://localhost:3000@evil.example/",
    "//localhost:3000@evil.example",
    "HTTPS://EVIL.EXAMPLE",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "/javascript:alert(1)\u0000",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "%2F%2Fevil.example",
    "/%E0%A4%A",
    "",
    "/" + "a".repeat(5000),
  ])("sends %j to the app's own fallback", (value) => {
    const path = safeCallbackPath(value, { origin: ORIGIN });
    expect(path).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(landsOn(path)).toBe(ORIGIN);
    // Without an origin to compare with, absolute URLs are refused as well.
    expect(safeCallbackPath(value)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it.each([undefined, null, 42, ["/profile"], { toString: () => "/profile" }])("refuses a non-string (%j)", (value) => {
    expect(safeCallbackPath(value)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it.each([
    ["/profile", "/profile"],
    ["/email/confirm?token=abc#top", "/email/confirm?token=abc#top"],
    ["/profile/../signin", "/signin"],
    ["/caf%C3%A9", "/caf%C3%A9"],
  ])("keeps the same-site path %j", (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });

  it("accepts an absolute URL only on the app's own origin, as its path", () => {
    expect(safeCallbackPath("http://localhost:3000/profile?tab=1", { origin: ORIGIN })).toBe("/profile?tab=1");
    expect(safeCallbackPath("http://localhost:3001/profile", { origin: ORIGIN })).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackPath("http://localhost:3000//evil.example", { origin: ORIGIN })).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("uses the fallback it is given", () => {
    expect(safeCallbackPath("//evil.example", { fallback: "/" })).toBe("/");
  });
});
