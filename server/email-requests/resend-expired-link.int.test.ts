import { describe, expect, it } from "vitest";
import { maskEmail } from "@/lib/email-address";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { reconcileEmailRequest } from "@/server/email-requests/reconcile-email-request";
import { issueExpiredLinkTicket, readExpiredLinkTicket } from "@/server/email-requests/expired-link-ticket";
import { expiredLinkTicketFor } from "@/server/email-requests/link-state";
import { getExpiredLink, resendExpiredLink } from "@/server/email-requests/resend-expired-link";
import { newLinkToken } from "@/server/email-requests/tokens";
import { publishedEvents } from "@/tests/support/events";
import { createUser, createVerifiedUser, requestRow, requestsOf, uniqueEmail, userRow } from "@/tests/support/factories";
import { confirmAsOwner, sendLink, startAdd, startChange } from "@/tests/support/flows";

const resendFrom = (token: unknown) => resendExpiredLink({ token, meta: NO_META });
const sql = {
  expireLink: (id: string) => db.$executeRaw`UPDATE email_links SET expires_at = now() - interval '1 second' WHERE id = ${id}::uuid`,
  expireRequest: (id: string) => db.$executeRaw`UPDATE email_requests SET expires_at = now() - interval '1 second' WHERE id = ${id}::uuid`,
  pastCooldown: (id: string) =>
    db.$executeRaw`UPDATE email_requests SET last_sent_at = now() - interval '2 minutes' WHERE id = ${id}::uuid`,
};

describe("resendExpiredLink", () => {
  it("a living change whose hop link expired: a fresh link for the current hop, to where the link went", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await sql.expireLink(link.linkId);
    await sql.pastCooldown(request.id);

    expect(await resendFrom(link.token)).toEqual({ sentTo: maskEmail(user.email!) });

    expect(await publishedEvents({ name: "account/email-link.resend-requested", requestId: request.id })).toHaveLength(1);
    expect((await requestRow(request.id)).status).toBe("pending");
  });

  it("keeps the cooldown: a second click right away is RATE_LIMITED", async () => {
    const user = await createVerifiedUser();
    const { link } = await startChange(user);
    await sql.expireLink(link.linkId);

    await expect(resendFrom(link.token)).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("an expired add, still the user's latest request: starts again for that address", async () => {
    const user = await createUser();
    const { request, email, link } = await startAdd(user);
    await sql.expireRequest(request.id);
    await reconcileEmailRequest({ requestId: request.id });

    expect(await resendFrom(link.token)).toEqual({ sentTo: maskEmail(email) });

    const [old, fresh] = await requestsOf(user.id);
    expect(old).toMatchObject({ id: request.id, status: "expired" });
    expect(fresh).toMatchObject({ kind: "add", status: "pending", newEmail: email });
    expect(await publishedEvents({ name: "account/email.requested", requestId: fresh!.id })).toHaveLength(1);
    const { token } = await sendLink(fresh!.id);
    await expect(confirmAsOwner(token)).resolves.toMatchObject({ outcome: "verified" });
  });

  it("an add past its expiry that the workflow has not closed yet: also starts again, superseding it", async () => {
    const user = await createUser();
    const { request, email, link } = await startAdd(user);
    await sql.expireRequest(request.id);

    expect(await resendFrom(link.token)).toEqual({ sentTo: maskEmail(email) });

    expect((await requestRow(request.id)).status).toBe("superseded");
    expect((await requestsOf(user.id)).filter((r) => r.status === "pending")).toHaveLength(1);
  });

  it("an expired add of an account that has verified an address since: REQUEST_EXPIRED", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await sql.expireRequest(request.id);
    await reconcileEmailRequest({ requestId: request.id });
    await db.user.update({ where: { id: user.id }, data: { email: uniqueEmail(), emailVerifiedAt: new Date() } });

    await expect(resendFrom(link.token)).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
    expect(await requestsOf(user.id)).toHaveLength(1);
  });

  it("an expired change never restarts: REQUEST_EXPIRED", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await sql.expireRequest(request.id);
    await reconcileEmailRequest({ requestId: request.id });

    await expect(resendFrom(link.token)).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
    expect(await requestsOf(user.id)).toHaveLength(1);
  });

  it("a cancelled request: REQUEST_EXPIRED, even for an add", async () => {
    const user = await createUser();
    const { link } = await startAdd(user);
    await cancelEmailRequest({ userId: user.id, meta: NO_META });

    await expect(resendFrom(link.token)).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
  });

  it("a completed request: LINK_USED", async () => {
    const user = await createUser();
    const { link } = await startAdd(user);
    await confirmAsOwner(link.token);

    await expect(resendFrom(link.token)).rejects.toMatchObject({ code: "LINK_USED" });
    expect((await userRow(user.id)).emailVerifiedAt).not.toBeNull();
  });

  it.each([
    ["malformed", "not-a-token"],
    ["unknown", newLinkToken().token],
  ])("a %s token: LINK_INVALID", async (_name, token) => {
    await expect(resendFrom(token)).rejects.toMatchObject({ code: "LINK_INVALID" });
  });

  it("a change at its new hop: the fresh link goes to the new address", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await confirmAsOwner(link.token);
    const newHop = await sendLink(request.id);
    await sql.expireLink(newHop.linkId);
    await sql.pastCooldown(request.id);

    expect(await resendFrom(newHop.token)).toEqual({ sentTo: maskEmail(request.newEmail) });
  });

  it("after a restart the old link stays dead", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await sql.expireRequest(request.id);
    await reconcileEmailRequest({ requestId: request.id });
    await resendFrom(link.token);

    await expect(confirmAsOwner(link.token)).rejects.toMatchObject({ code: "LINK_EXPIRED" });
  });
});

describe("the expired-link page's ticket (UC06, no token in its URL)", () => {
  it("an expired link's ticket shows where a new link goes, and asks for one like the token would", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await sql.expireLink(link.linkId);
    await sql.pastCooldown(request.id);
    const ticket = await expiredLinkTicketFor(link.token);
    expect(ticket).not.toBeNull();
    expect(ticket).not.toContain(link.token);

    expect(await getExpiredLink(ticket)).toEqual({ state: "expired", step: "change-old", sentTo: maskEmail(user.email!) });
    expect(await resendExpiredLink({ ticket, meta: NO_META })).toEqual({ sentTo: maskEmail(user.email!) });
    expect(await publishedEvents({ name: "account/email-link.resend-requested", requestId: request.id })).toHaveLength(1);
  });

  it("a live link has no ticket; a forged, altered or stale ticket is invalid and sends nothing", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    expect(await expiredLinkTicketFor(link.token)).toBeNull();

    const genuine = issueExpiredLinkTicket(link.linkId);
    const [version, id, expires, mac] = genuine.split(".");
    const forged = [
      `${version}.${id}.${Number(expires) + 1}.${mac}`,
      `${version}.${id}.${expires}.${mac!.slice(0, -1)}${mac!.endsWith("A") ? "B" : "A"}`,
      issueExpiredLinkTicket(link.linkId, Date.now() - 2 * 60 * 60 * 1000),
      "not a ticket",
    ];
    for (const ticket of forged) {
      expect(readExpiredLinkTicket(ticket)).toBeNull();
      expect(await getExpiredLink(ticket)).toEqual({ state: "invalid" });
      await expect(resendExpiredLink({ ticket, meta: NO_META })).rejects.toMatchObject({ code: "LINK_INVALID" });
    }
    expect(await publishedEvents({ name: "account/email-link.resend-requested", requestId: request.id })).toEqual([]);
  });

  it("a ticket for a cancelled request says the request has ended instead of offering a link", async () => {
    const user = await createUser();
    const { link } = await startAdd(user);
    await sql.expireLink(link.linkId);
    await cancelEmailRequest({ userId: user.id, meta: NO_META });

    expect(await getExpiredLink(issueExpiredLinkTicket(link.linkId))).toMatchObject({
      state: "ended",
      reason: { code: "REQUEST_EXPIRED" },
    });
  });
});

describe("the expired-link page for a change whose whole request ended", () => {
  it("says the request has ended instead of offering a link that cannot come", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await sql.expireRequest(request.id);
    await reconcileEmailRequest({ requestId: request.id });

    expect(await getExpiredLink(issueExpiredLinkTicket(link.linkId))).toMatchObject({
      state: "ended",
      reason: { code: "REQUEST_EXPIRED" },
    });
  });
});
