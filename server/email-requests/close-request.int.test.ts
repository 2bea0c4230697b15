import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { closeRequest } from "@/server/email-requests/close-request";
import { auditActions, createUser, createVerifiedUser, linksOf, requestRow } from "@/tests/support/factories";
import { confirmAsOwner, sendLink, startAdd, startChange } from "@/tests/support/flows";

const close = (requestId: string, status: "cancelled" | "superseded" | "expired") =>
  db.$transaction((tx) => closeRequest(tx, requestId, status));

describe("closeRequest", () => {
  it.each(["cancelled", "superseded", "expired"] as const)(
    "%s: closes a pending request once, voids its unused links and audits it",
    async (status) => {
      const user = await createUser();
      const { request } = await startAdd(user);
      await sendLink(request.id);

      // It answers the kind of the request it closed (for the metrics counted after the commit).
      expect(await close(request.id, status)).toBe("add");

      expect(await requestRow(request.id)).toMatchObject({ status, currentHop: null, closedAt: expect.any(Date) });
      expect((await linksOf(request.id)).every((link) => link.voidedAt)).toBe(true);
      expect(await auditActions(user.id)).toContain(`email.${status}`);
      // A closed request stays as it was closed.
      expect(await close(request.id, "expired")).toBe(false);
      expect((await requestRow(request.id)).status).toBe(status);
    },
  );

  it("leaves a used link as used (it is history, not a live link)", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await confirmAsOwner(link.token);

    await close(request.id, "cancelled");

    const [oldHop] = await linksOf(request.id);
    expect(oldHop).toMatchObject({ usedAt: expect.any(Date), voidedAt: null });
  });

  it("rolls back with the caller's transaction", async () => {
    const user = await createUser();
    const { request } = await startAdd(user);

    await expect(
      db.$transaction(async (tx) => {
        await closeRequest(tx, request.id, "cancelled");
        throw new Error("caller failed");
      }),
    ).rejects.toThrow("caller failed");

    expect((await requestRow(request.id)).status).toBe("pending");
    expect(await auditActions(user.id)).not.toContain("email.cancelled");
  });
});
