import { describe, expect, it } from "vitest";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { createRequest } from "@/server/email-requests/create-request";
import { publishedEvents } from "@/tests/support/events";
import { auditActions, createUser, createVerifiedUser, linksOf, requestRow, userRow } from "@/tests/support/factories";
import { confirmAsOwner, race, startAdd, startChange } from "@/tests/support/flows";

describe("cancelEmailRequest", () => {
  it("add: the unverified address leaves the account, the link dies and the workflow is told", async () => {
    const user = await createUser();
    const { request, email, link } = await startAdd(user);

    await cancelEmailRequest({ userId: user.id, meta: NO_META });

    expect(await userRow(user.id)).toMatchObject({ email: null, emailVerifiedAt: null });
    expect(await requestRow(request.id)).toMatchObject({ status: "cancelled", currentHop: null, closedAt: expect.any(Date) });
    expect((await linksOf(request.id)).every((row) => row.voidedAt)).toBe(true);
    expect(await publishedEvents({ name: "account/email-request.closed", requestId: request.id })).toMatchObject([
      { data: { reason: "cancelled" } },
    ]);
    expect(await auditActions(user.id)).toContain("email.cancelled");
    await expect(confirmAsOwner(link.token)).rejects.toMatchObject({ code: "LINK_CANCELLED" });
    // The address is free again: another account may add it.
    const other = await createUser();
    await expect(createRequest({ userId: other.id, addressCheck: "answer-taken", email, meta: NO_META })).resolves.toMatchObject({
      newEmail: email,
    });
  });

  it("records the cancellation with the client's IP and user agent", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);
    const meta = { ip: "198.51.100.23", userAgent: "vitest cancel" };

    await cancelEmailRequest({ userId: user.id, meta });

    const audit = await db.auditEvent.findFirstOrThrow({ where: { userId: user.id, action: "email.cancelled" } });
    expect(audit).toMatchObject({ ip: meta.ip, userAgent: meta.userAgent, details: { requestId: request.id } });
  });

  it("change: the verified address stays on the account", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);

    await cancelEmailRequest({ userId: user.id, meta: NO_META });

    expect(await userRow(user.id)).toMatchObject({
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      sessionVersion: user.sessionVersion,
    });
    expect((await requestRow(request.id)).status).toBe("cancelled");
    await expect(confirmAsOwner(link.token)).rejects.toMatchObject({ code: "LINK_CANCELLED" });
  });

  it("change after the old hop: still nothing changes on the account", async () => {
    const user = await createVerifiedUser();
    const { link } = await startChange(user);
    await confirmAsOwner(link.token);

    await cancelEmailRequest({ userId: user.id, meta: NO_META });

    expect(await userRow(user.id)).toMatchObject({ email: user.email, emailVerifiedAt: user.emailVerifiedAt });
  });

  it("answers NO_PENDING_REQUEST when there is nothing to cancel", async () => {
    const user = await createUser();
    await expect(cancelEmailRequest({ userId: user.id, meta: NO_META })).rejects.toMatchObject({ code: "NO_PENDING_REQUEST" });

    await startAdd(user);
    await cancelEmailRequest({ userId: user.id, meta: NO_META });
    await expect(cancelEmailRequest({ userId: user.id, meta: NO_META })).rejects.toMatchObject({ code: "NO_PENDING_REQUEST" });
  });

  it("two cancels at once: one cancels, the other finds nothing, one event", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);

    const { won, codes } = await race(2, () => cancelEmailRequest({ userId: user.id, meta: NO_META }));

    expect(won).toHaveLength(1);
    expect(codes).toEqual(["NO_PENDING_REQUEST"]);
    expect(await publishedEvents({ name: "account/email-request.closed", requestId: request.id })).toHaveLength(1);
  });

  it("only cancels the user's own request", async () => {
    const [owner, other] = [await createUser(), await createUser()];
    const { request } = await startAdd(owner);

    await expect(cancelEmailRequest({ userId: other.id, meta: NO_META })).rejects.toMatchObject({ code: "NO_PENDING_REQUEST" });
    expect((await requestRow(request.id)).status).toBe("pending");
  });
});
