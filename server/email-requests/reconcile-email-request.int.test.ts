import { describe, expect, it } from "vitest";
import { NO_META } from "@/server/audit";
import { deleteAccount } from "@/server/accounts/delete-account";
import { db } from "@/server/db";
import { createRequest } from "@/server/email-requests/create-request";
import { getLinkState } from "@/server/email-requests/link-state";
import { reconcileEmailRequest } from "@/server/email-requests/reconcile-email-request";
import { auditActions, createUser, createVerifiedUser, linksOf, requestRow, uniqueEmail } from "@/tests/support/factories";
import { confirmAsOwner, startAdd, startChange } from "@/tests/support/flows";

const reconcile = (requestId: string) => reconcileEmailRequest({ requestId });
const expireRequest = (id: string) =>
  db.$executeRaw`UPDATE email_requests SET expires_at = now() - interval '1 second' WHERE id = ${id}::uuid`;

describe("reconcileEmailRequest", () => {
  it("a new request needs its first link and is awaited until it expires", async () => {
    const user = await createUser();
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });

    expect(await reconcile(request.id)).toEqual({
      status: "pending",
      kind: "add",
      currentHop: "new",
      needsLink: true,
      waitUntil: request.expiresAt.toISOString(),
    });
  });

  it("once the link is out, waits until the link expires", async () => {
    const user = await createVerifiedUser();
    const { request } = await startChange(user);
    const row = await requestRow(request.id);

    expect(await reconcile(request.id)).toEqual({
      status: "pending",
      kind: "change",
      currentHop: "old",
      needsLink: false,
      waitUntil: row.hopExpiresAt!.toISOString(),
    });
  });

  it("after the old hop, the new hop needs its link", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await confirmAsOwner(link.token);

    expect(await reconcile(request.id)).toMatchObject({ status: "pending", currentHop: "new", needsLink: true });
  });

  it("a hop whose link expired inside a living change request waits for the request's end (a resend may still come)", async () => {
    const user = await createVerifiedUser();
    const { request } = await startChange(user);
    await db.$executeRaw`UPDATE email_requests SET hop_expires_at = now() - interval '1 second' WHERE id = ${request.id}::uuid`;

    expect(await reconcile(request.id)).toMatchObject({ status: "pending", needsLink: false, waitUntil: request.expiresAt.toISOString() });
  });

  it("expires a pending request past its expiry: its links stop working and nothing more is awaited", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await expireRequest(request.id);

    expect(await reconcile(request.id)).toEqual({ status: "expired", kind: "add", currentHop: null, needsLink: false, waitUntil: null });

    expect(await requestRow(request.id)).toMatchObject({ status: "expired", currentHop: null, closedAt: expect.any(Date) });
    expect((await linksOf(request.id)).every((row) => row.voidedAt)).toBe(true);
    expect(await auditActions(user.id)).toContain("email.expired");
    expect((await getLinkState(link.token)).state).toBe("expired");
    await expect(confirmAsOwner(link.token)).rejects.toMatchObject({ code: "LINK_EXPIRED" });
    // Waking again changes nothing.
    expect(await reconcile(request.id)).toMatchObject({ status: "expired" });
    expect((await auditActions(user.id)).filter((action) => action === "email.expired")).toHaveLength(1);
  });

  it("reports a completed request as it is, even past its expiry", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await confirmAsOwner(link.token);
    await expireRequest(request.id);

    expect(await reconcile(request.id)).toEqual({ status: "completed", kind: "add", currentHop: null, needsLink: false, waitUntil: null });
    expect((await requestRow(request.id)).status).toBe("completed");
  });

  it("a request whose account was deleted (the cascade took it) leaves nothing to do: the workflow ends instead of retrying", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);
    await deleteAccount({ user, password: user.password, meta: NO_META });
    expect(await reconcile(request.id)).toEqual({ status: "deleted" });
  });
});
