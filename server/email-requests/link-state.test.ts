import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "@/lib/errors";
import { linkError, stateOf, type LinkStateName } from "@/server/email-requests/link-state";
import type { EmailLink, EmailRequest } from "@/server/generated/prisma/client";

const NOW = new Date("2026-11-23T10:00:00Z");
const later = new Date(NOW.getTime() + 60_000);
const earlier = new Date(NOW.getTime() - 60_000);

function link(overrides: Partial<EmailLink> = {}): EmailLink {
  return {
    id: "l1",
    requestId: "r1",
    hop: "new",
    tokenHash: "h",
    sentTo: "a@example.com",
    expiresAt: later,
    usedAt: null,
    voidedAt: null,
    createdAt: earlier,
    ...overrides,
  };
}

function request(overrides: Partial<EmailRequest> = {}): EmailRequest {
  return {
    id: "r1",
    userId: "u1",
    kind: "add",
    status: "pending",
    currentHop: "new",
    oldEmail: null,
    newEmail: "a@example.com",
    expiresAt: later,
    hopExpiresAt: later,
    lastSentAt: earlier,
    sendFailedAt: null,
    oldConfirmedAt: null,
    closedAt: null,
    createdAt: earlier,
    updatedAt: earlier,
    ...overrides,
  };
}

describe("stateOf", () => {
  it("a live link of a pending request is valid", () => {
    expect(stateOf(link(), request(), NOW)).toBe("valid");
  });

  it.each(["pending", "cancelled", "superseded", "completed", "failed", "expired"] as const)(
    "a used link is used, whatever its request became (%s)",
    (status) => {
      expect(stateOf(link({ usedAt: earlier }), request({ status }), NOW)).toBe("used");
    },
  );

  it.each([
    ["cancelled", "cancelled"],
    ["superseded", "superseded"],
    ["completed", "used"],
    ["failed", "used"],
    ["expired", "expired"],
  ] as const)("an unused link of a %s request is %s", (status, expected) => {
    expect(stateOf(link(), request({ status }), NOW)).toBe(expected);
  });

  it("a voided link of a pending request was replaced by a resend: superseded, even if also past its expiry", () => {
    expect(stateOf(link({ voidedAt: earlier }), request(), NOW)).toBe("superseded");
    expect(stateOf(link({ voidedAt: earlier, expiresAt: earlier }), request(), NOW)).toBe("superseded");
  });

  it("a pending request's link is expired from the instant the link or the request expires", () => {
    expect(stateOf(link({ expiresAt: NOW }), request(), NOW)).toBe("expired");
    expect(stateOf(link({ expiresAt: earlier }), request(), NOW)).toBe("expired");
    expect(stateOf(link(), request({ expiresAt: NOW }), NOW)).toBe("expired");
    expect(stateOf(link({ expiresAt: new Date(NOW.getTime() + 1) }), request(), NOW)).toBe("valid");
  });

  it("uses the current time by default", () => {
    expect(stateOf(link({ expiresAt: new Date(Date.now() - 1) }), request({ expiresAt: new Date(Date.now() + 60_000) }))).toBe("expired");
    expect(stateOf(link({ expiresAt: new Date(Date.now() + 60_000) }), request({ expiresAt: new Date(Date.now() + 60_000) }))).toBe(
      "valid",
    );
  });
});

describe("linkError", () => {
  it.each([
    ["used", "LINK_USED", 409],
    ["expired", "LINK_EXPIRED", 410],
    ["superseded", "LINK_SUPERSEDED", 410],
    ["cancelled", "LINK_CANCELLED", 410],
    ["invalid", "LINK_INVALID", 404],
  ] as const)("%s: %s (HTTP %i) with a message people can act on", (state, code, status) => {
    const error = linkError(state as Exclude<LinkStateName, "valid">);
    expect(error.code).toBe(code);
    expect(ERROR_STATUS[error.code]).toBe(status);
    expect(error.message.length).toBeGreaterThan(10);
  });
});
