import { describe, expect, it } from "vitest";
import { emailRequestView } from "@/lib/api";
import { rules } from "@/lib/rules";
import { presentEmailRequest } from "@/server/email-requests/present";
import type { EmailRequest } from "@/server/generated/prisma/client";

const created = new Date("2026-11-23T10:00:00.000Z");
const at = (minutes: number) => new Date(created.getTime() + minutes * 60_000);

function request(overrides: Partial<EmailRequest>): EmailRequest {
  return {
    id: "5f0c3c55-7f5e-4a3e-9d8e-0e9d1f3c2a10",
    userId: "0c6b1c83-3b59-4a41-9d0e-3c3b9d1a7e22",
    kind: "add",
    status: "pending",
    currentHop: "new",
    oldEmail: null,
    newEmail: "nabin@example.com",
    expiresAt: at(24 * 60),
    hopExpiresAt: null,
    lastSentAt: null,
    sendFailedAt: null,
    oldConfirmedAt: null,
    closedAt: null,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

describe("presentEmailRequest", () => {
  it("an add before its link is sent: nothing to show about the link yet; resend opens a cooldown after the request", () => {
    const view = presentEmailRequest(request({}));
    expect(emailRequestView.parse(view)).toEqual(view);
    expect(view).toMatchObject({ kind: "add", step: "verify", currentHop: null, sentTo: null, expiresAt: null });
    // The first link is on its way from the workflow (issue 11, item 6).
    expect(view.resendAvailableAt).toBe(new Date(created.getTime() + rules.resendCooldownMs).toISOString());
    expect(view.requestExpiresAt).toBe(at(24 * 60).toISOString());
  });

  it("an add with its link out: where it went (masked), when it expires, when resend opens", () => {
    const view = presentEmailRequest(request({ hopExpiresAt: at(24 * 60), lastSentAt: at(1) }));
    expect(view).toMatchObject({
      sentTo: "n***@example.com",
      expiresAt: at(24 * 60).toISOString(),
      resendAvailableAt: new Date(at(1).getTime() + rules.resendCooldownMs).toISOString(),
      newEmail: "nabin@example.com",
    });
  });

  it("a change at step 1: the link went to the old address", () => {
    const view = presentEmailRequest(
      request({ kind: "change", currentHop: "old", oldEmail: "sita@example.com", hopExpiresAt: at(60), lastSentAt: at(0) }),
    );
    expect(view).toMatchObject({ step: "change-old", currentHop: "old", sentTo: "s***@example.com", newEmail: "nabin@example.com" });
  });

  it("a change at step 2 before its link goes out, then after", () => {
    const waiting = request({ kind: "change", currentHop: "new", oldEmail: "sita@example.com", oldConfirmedAt: at(5) });
    expect(presentEmailRequest(waiting)).toMatchObject({ step: "change-new", currentHop: "new", sentTo: null, expiresAt: null });
    expect(presentEmailRequest({ ...waiting, hopExpiresAt: at(65), lastSentAt: at(5) })).toMatchObject({ sentTo: "n***@example.com" });
  });

  it("a closed request (no current hop) shows its last step and no link", () => {
    const view = presentEmailRequest(
      request({ kind: "change", status: "completed", currentHop: null, oldEmail: "sita@example.com", hopExpiresAt: at(65) }),
    );
    expect(view).toMatchObject({ status: "completed", step: "change-new", currentHop: null, sentTo: null });
  });

  it("never shows the old address in full", () => {
    const view = presentEmailRequest(
      request({ kind: "change", currentHop: "old", oldEmail: "sita.sharma@example.com", hopExpiresAt: at(60) }),
    );
    expect(JSON.stringify(view)).not.toContain("sita.sharma");
  });
});
