import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emailTaken, rateLimited } from "@/server/email-requests/errors";

beforeEach(() => vi.useFakeTimers({ now: new Date("2026-11-23T10:00:00.000Z") }));
afterEach(() => vi.useRealTimers());

describe("rateLimited", () => {
  it("gives the wait in whole seconds, rounded up, and when to retry", () => {
    const error = rateLimited(1_200);
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfter: 2, extra: { retryAt: "2026-11-23T10:00:02.000Z" } });
    expect(error.message).toBe("You can ask for another email in 2 seconds.");
  });

  it("never asks to wait less than a second (a wait that just ended is still refused)", () => {
    expect(rateLimited(0).retryAfter).toBe(1);
    expect(rateLimited(-5_000).retryAfter).toBe(1);
    expect(rateLimited(1).message).toBe("You can ask for another email in 1 second.");
  });

  it("speaks in minutes for longer waits", () => {
    expect(rateLimited(89_000).message).toBe("You can ask for another email in 89 seconds.");
    expect(rateLimited(10 * 60_000).message).toBe("You can ask for another email in 10 minutes.");
    expect(rateLimited(10 * 60_000 + 1).message).toBe("You can ask for another email in 11 minutes.");
  });

  it("takes the caller's message when given", () => {
    expect(rateLimited(5_000, "Too many.").message).toBe("Too many.");
  });
});

describe("emailTaken", () => {
  it("is EMAIL_TAKEN with a message for the email field", () => {
    expect(emailTaken()).toMatchObject({ code: "EMAIL_TAKEN", fields: { email: expect.stringContaining("another account") } });
  });
});
