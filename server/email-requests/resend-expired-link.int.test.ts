import { describe, expect, it } from "vitest";
import { maskEmail } from "@/lib/email-address";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { reconcileEmailRequest } from "@/server/email-requests/reconcile-email-request";
import { resendExpiredLink } from "@/server/email-requests/resend-expired-link";
import { newLinkToken } from "@/server/email-requests/tokens";
import { publishedEvents } from "@/tests/support/events";
import { createUser, createVerifiedUser, requestRow, requestsOf, uniqueEmail, userRow } from "@/tests/support/factories";
import { sendLink, startAdd, startChange } from "@/tests/support/flows";

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
    await expect(confirmEmailLink({ token, meta: NO_META })).resolves.toMatchObject({ outcome: "verified" });
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
    await confirmEmailLink({ token: link.token, meta: NO_META });

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
    await confirmEmailLink({ token: link.token, meta: NO_META });
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

    await expect(confirmEmailLink({ token: link.token, meta: NO_META })).rejects.toMatchObject({ code: "LINK_EXPIRED" });
  });
});
