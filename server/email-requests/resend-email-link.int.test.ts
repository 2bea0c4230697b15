import { describe, expect, it } from "vitest";
import { maskEmail } from "@/lib/email-address";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { queueResend, resendEmailLink } from "@/server/email-requests/resend-email-link";
import { createRequest } from "@/server/email-requests/create-request";
import { presentEmailRequest } from "@/server/email-requests/present";
import { publishedEvents } from "@/tests/support/events";
import { auditActions, createUser, requestRow, uniqueEmail } from "@/tests/support/factories";
import { race, sendLink, startAdd } from "@/tests/support/flows";

const resend = (userId: string) => resendEmailLink({ userId, meta: NO_META });
const pastCooldown = (requestId: string) =>
  db.$executeRaw`UPDATE email_requests SET last_sent_at = now() - interval '2 minutes' WHERE id = ${requestId}::uuid`;
const resendEvents = (requestId: string) => publishedEvents({ name: "account/email-link.resend-requested", requestId });

describe("resendEmailLink", () => {
  it("after the cooldown: claims a send, asks the workflow for a fresh link and answers the request's view", async () => {
    const user = await createUser();
    const { request, email } = await startAdd(user);
    await pastCooldown(request.id);

    const view = await resendEmailLink({ userId: user.id, meta: { ip: "203.0.113.9", userAgent: "test" } });

    const row = await requestRow(request.id);
    expect(view).toMatchObject({ id: request.id, status: "pending", sentTo: maskEmail(email) });
    expect(view.resendAvailableAt).toBe(new Date(row.lastSentAt!.getTime() + rules.resendCooldownMs).toISOString());
    expect(Math.abs(row.lastSentAt!.getTime() - Date.now())).toBeLessThan(2000);
    expect(await resendEvents(request.id)).toHaveLength(1);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { userId: user.id, action: "email.resent" } });
    expect(audit).toMatchObject({ ip: "203.0.113.9", details: { requestId: request.id } });
  });

  it("right after the request: the first link is on its way, so a resend waits for the cooldown", async () => {
    const user = await createUser();
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });
    await expect(resend(user.id)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await resendEvents(request.id)).toEqual([]);
    // The view tells the same: the cooldown runs from the request's creation.
    const view = presentEmailRequest(await requestRow(request.id));
    expect(view.resendAvailableAt).toBe(new Date(request.createdAt.getTime() + rules.resendCooldownMs).toISOString());
  });

  it("the fresh link (sent by the workflow) replaces the old one", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await pastCooldown(request.id);
    await resend(user.id);

    const fresh = await sendLink(request.id);

    await expect(confirmEmailLink({ token: link.token, meta: NO_META })).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    await expect(confirmEmailLink({ token: fresh.token, meta: NO_META })).resolves.toMatchObject({ outcome: "verified" });
  });

  it("within the cooldown: RATE_LIMITED with the seconds left, and nothing published", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);

    await expect(resend(user.id)).rejects.toMatchObject({ code: "RATE_LIMITED", retryAfter: expect.any(Number) });
    expect(await resendEvents(request.id)).toEqual([]);
    expect(await auditActions(user.id)).not.toContain("email.resent");
  });

  it("five clicks at once: one resend", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);
    await pastCooldown(request.id);

    const { won, codes } = await race(5, () => resend(user.id));

    expect(won).toHaveLength(1);
    expect(codes).toEqual(Array(4).fill("RATE_LIMITED"));
    expect(await resendEvents(request.id)).toHaveLength(1);
  });

  it("answers NO_PENDING_REQUEST without a pending request", async () => {
    const user = await createUser();
    await expect(resend(user.id)).rejects.toMatchObject({ code: "NO_PENDING_REQUEST" });
  });

  it("answers REQUEST_EXPIRED for a pending request past its expiry", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);
    await db.$executeRaw`UPDATE email_requests SET expires_at = now() - interval '1 second', last_sent_at = now() - interval '2 minutes' WHERE id = ${request.id}::uuid`;

    await expect(resend(user.id)).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
    expect(await resendEvents(request.id)).toEqual([]);
  });
});

describe("queueResend", () => {
  it("uses the request it is given: claims, audits with the caller's meta, publishes", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);
    await pastCooldown(request.id);

    await queueResend(await requestRow(request.id), { ip: "198.51.100.7", userAgent: null });

    expect(await resendEvents(request.id)).toHaveLength(1);
    expect(await db.auditEvent.findFirst({ where: { userId: user.id, action: "email.resent" } })).toMatchObject({ ip: "198.51.100.7" });
    await expect(queueResend(await requestRow(request.id), NO_META)).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });
});
