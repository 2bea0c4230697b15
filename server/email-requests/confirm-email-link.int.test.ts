import { describe, expect, it } from "vitest";
import { maskEmail } from "@/lib/email-address";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { createRequest } from "@/server/email-requests/create-request";
import { newLinkToken } from "@/server/email-requests/tokens";
import { publishedEvents, publishedFor } from "@/tests/support/events";
import { auditActions, createUser, createVerifiedUser, linksOf, requestRow, uniqueEmail, userRow } from "@/tests/support/factories";
import { confirmAsOwner, race, sendLink, startAdd, startChange } from "@/tests/support/flows";

const confirm = (token: unknown) => confirmAsOwner(token);
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: { code?: string }) => error.code,
  );

/** A change request whose old hop is confirmed and whose new-address link is out. */
async function atNewHop(user: { id: string }, email = uniqueEmail("new")) {
  const { request, link: oldLink } = await startChange(user, email);
  await confirm(oldLink.token);
  return { request, email, oldLink, newLink: await sendLink(request.id) };
}

describe("confirmEmailLink: an add", () => {
  it("verifies the held address, completes the request, spends the link and wakes the workflow", async () => {
    const user = await createUser();
    const { request, email, link } = await startAdd(user);

    const result = await confirm(link.token);

    expect(result).toEqual({ outcome: "verified", userId: user.id });
    const after = await userRow(user.id);
    expect(after.email).toBe(email);
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(after.sessionVersion).toBe(user.sessionVersion); // adding an address ends no session
    expect(await requestRow(request.id)).toMatchObject({ status: "completed", currentHop: null, closedAt: expect.any(Date) });
    expect((await linksOf(request.id))[0]!.usedAt).not.toBeNull();
    expect(await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id })).toMatchObject([
      { data: { requestId: request.id, hop: "new" } },
    ]);
    expect(await auditActions(user.id)).toContain("email.verified");
  });

  it("of ten concurrent confirms of one link, exactly one wins and the others see it as used", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);

    const { won, codes } = await race(10, () => confirm(link.token));

    expect(won).toEqual([{ outcome: "verified", userId: user.id }]);
    expect(codes).toEqual(Array(9).fill("LINK_USED"));
    expect(await requestRow(request.id)).toMatchObject({ status: "completed" });
    expect(await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id })).toHaveLength(1);
    expect((await auditActions(user.id)).filter((action) => action === "email.verified")).toHaveLength(1);
  });

  it("refuses a link that was already used, changing nothing", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await confirm(link.token);
    const before = await userRow(user.id);

    await expect(confirm(link.token)).rejects.toMatchObject({ code: "LINK_USED" });

    expect(await userRow(user.id)).toEqual(before);
    expect(await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id })).toHaveLength(1);
  });

  it("refuses a link past its expiry, leaving the address unverified and the link unspent", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await db.$executeRaw`UPDATE email_links SET expires_at = now() - interval '1 second' WHERE id = ${link.linkId}::uuid`;

    await expect(confirm(link.token)).rejects.toMatchObject({ code: "LINK_EXPIRED" });

    expect((await userRow(user.id)).emailVerifiedAt).toBeNull();
    expect((await linksOf(request.id))[0]!.usedAt).toBeNull();
    expect(await publishedFor(request.id)).not.toContainEqual(expect.objectContaining({ name: "account/email-hop.confirmed" }));
  });

  it("refuses a live link of a request that has itself expired", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    await db.$executeRaw`UPDATE email_requests SET expires_at = now() - interval '1 second' WHERE id = ${request.id}::uuid`;

    await expect(confirm(link.token)).rejects.toMatchObject({ code: "LINK_EXPIRED" });
    expect((await userRow(user.id)).emailVerifiedAt).toBeNull();
  });

  it("refuses a link replaced by a resend; the newest link works", async () => {
    const user = await createUser();
    const { link: first, request } = await startAdd(user);
    const second = await sendLink(request.id);

    await expect(confirm(first.token)).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    await expect(confirm(second.token)).resolves.toMatchObject({ outcome: "verified" });
  });

  it("refuses a link of a request superseded by a newer one", async () => {
    const user = await createUser();
    const { link } = await startAdd(user);
    const newer = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });

    await expect(confirm(link.token)).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    // Neither address is on the account: the newer one waits on its request.
    expect(await userRow(user.id)).toMatchObject({ email: null, emailVerifiedAt: null });
    expect((await requestRow(newer.id)).status).toBe("pending");
  });

  it("refuses a link of a cancelled request", async () => {
    const user = await createUser();
    const { link } = await startAdd(user);
    await cancelEmailRequest({ userId: user.id, meta: NO_META });

    await expect(confirm(link.token)).rejects.toMatchObject({ code: "LINK_CANCELLED" });
    expect(await userRow(user.id)).toMatchObject({ email: null, emailVerifiedAt: null });
  });

  it.each([
    ["no token", undefined],
    ["a number", 42],
    ["an empty string", ""],
    ["a truncated token", newLinkToken().token.slice(0, 40)],
    ["a token with a character outside base64url", `${newLinkToken().token.slice(0, 42)}+`],
    ["a well-formed token nobody was sent", newLinkToken().token],
  ])("answers LINK_INVALID for %s", async (_name, token) => {
    await expect(confirm(token)).rejects.toMatchObject({ code: "LINK_INVALID" });
  });
});

describe("confirmEmailLink: the old address's hop needs the owner's session (ADR 0018)", () => {
  const confirmAs = (token: string, signedInUserId: string | null) => confirmEmailLink({ token, meta: NO_META, signedInUserId });

  it.each([
    ["without a session", false],
    ["signed in to another account", true],
  ])("refuses it %s, and nothing changes: the link, the request, the account, no event", async (_label, asStranger) => {
    const user = await createVerifiedUser();
    const stranger = await createUser();
    const { request, link } = await startChange(user);
    const before = await requestRow(request.id);

    const refused = confirmAs(link.token, asStranger ? stranger.id : null);

    await expect(refused).rejects.toMatchObject({ code: "OWNER_SESSION_REQUIRED", status: 403 });
    expect(await requestRow(request.id)).toEqual(before);
    expect((await linksOf(request.id))[0]).toMatchObject({ usedAt: null, voidedAt: null });
    expect(await userRow(user.id)).toMatchObject({ email: user.email, sessionVersion: user.sessionVersion });
    expect(await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id })).toEqual([]);
    expect(await auditActions(user.id)).not.toContain("email.hop_confirmed");
  });

  it("accepts the same link afterwards from the owner's session", async () => {
    const user = await createVerifiedUser();
    const { request, email, link } = await startChange(user);
    await expect(confirmAs(link.token, null)).rejects.toMatchObject({ code: "OWNER_SESSION_REQUIRED" });

    await expect(confirmAs(link.token, user.id)).resolves.toEqual({
      outcome: "old-confirmed",
      nextSentTo: maskEmail(email),
      userId: user.id,
    });
    expect(await requestRow(request.id)).toMatchObject({ currentHop: "new" });
  });

  it("reports the link's own state first: an expired old-address link is LINK_EXPIRED, session or not", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await db.emailLink.updateMany({ where: { requestId: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    await expect(confirmAs(link.token, null)).rejects.toMatchObject({ code: "LINK_EXPIRED" });
  });

  it("leaves the verify and new-address hops approvable without a session", async () => {
    const adder = await createUser();
    const { link: addLink } = await startAdd(adder);
    await expect(confirmAs(addLink.token, null)).resolves.toMatchObject({ outcome: "verified" });

    const changer = await createVerifiedUser();
    const { newLink } = await atNewHop(changer);
    await expect(confirmAs(newLink.token, null)).resolves.toMatchObject({ outcome: "changed" });
  });
});

describe("confirmEmailLink: a change", () => {
  it("old hop: records it and moves to the new address, leaving the account as it was", async () => {
    const user = await createVerifiedUser();
    const { request, email, link } = await startChange(user);
    expect(link.sentTo).toBe(user.email);

    const result = await confirm(link.token);

    expect(result).toEqual({ outcome: "old-confirmed", nextSentTo: maskEmail(email), userId: user.id });
    expect(await requestRow(request.id)).toMatchObject({
      status: "pending",
      currentHop: "new",
      oldConfirmedAt: expect.any(Date),
      hopExpiresAt: null, // the new address's link has not been sent yet
      lastSentAt: null, // so the workflow may send it at once
    });
    expect(await userRow(user.id)).toMatchObject({
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      sessionVersion: user.sessionVersion,
    });
    expect(await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id })).toMatchObject([{ data: { hop: "old" } }]);
    await expect(confirm(link.token)).rejects.toMatchObject({ code: "LINK_USED" });
  });

  it("new hop: applies the new address, marks it verified and bumps the session version", async () => {
    const user = await createVerifiedUser();
    const { request, email, newLink } = await atNewHop(user);
    expect(newLink.sentTo).toBe(email);

    const result = await confirm(newLink.token);

    expect(result).toEqual({ outcome: "changed", userId: user.id, sessionVersion: user.sessionVersion + 1 });
    const after = await userRow(user.id);
    expect(after).toMatchObject({ email, sessionVersion: user.sessionVersion + 1 });
    expect(after.emailVerifiedAt!.getTime()).toBeGreaterThan(user.emailVerifiedAt!.getTime());
    expect(await requestRow(request.id)).toMatchObject({ status: "completed", currentHop: null });
    expect((await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id })).map((e) => e.data.hop)).toEqual([
      "old",
      "new",
    ]);
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["email.hop_confirmed", "email.changed"]));
  });

  it("of ten concurrent confirms of the new hop, one applies the change, once", async () => {
    const user = await createVerifiedUser();
    const { request, email, newLink } = await atNewHop(user);

    const { won, codes } = await race(10, () => confirm(newLink.token));

    expect(won).toEqual([{ outcome: "changed", userId: user.id, sessionVersion: user.sessionVersion + 1 }]);
    expect(codes).toEqual(Array(9).fill("LINK_USED"));
    expect(await userRow(user.id)).toMatchObject({ email, sessionVersion: user.sessionVersion + 1 });
    expect(await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id, hop: "new" })).toHaveLength(1);
  });

  it("fails the request and leaves the account untouched when another account took the address before the commit", async () => {
    const user = await createVerifiedUser();
    const { request, email, newLink } = await atNewHop(user);
    await createUser({ email, verified: true }); // someone else verified it meanwhile

    await expect(confirm(newLink.token)).rejects.toMatchObject({ code: "EMAIL_TAKEN" });

    expect(await userRow(user.id)).toMatchObject({
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      sessionVersion: user.sessionVersion,
    });
    expect(await requestRow(request.id)).toMatchObject({ status: "failed", currentHop: null, closedAt: expect.any(Date) });
    expect((await linksOf(request.id)).every((link) => link.usedAt)).toBe(true);
    expect(await auditActions(user.id)).toContain("email.change_failed");
    expect(await publishedEvents({ name: "account/email-hop.confirmed", requestId: request.id, hop: "new" })).toEqual([]);
    await expect(confirm(newLink.token)).rejects.toMatchObject({ code: "LINK_USED" });
  });

  it("lets the unique index decide when two accounts commit the same address at once", async () => {
    const email = uniqueEmail("contested");
    const [first, second] = await Promise.all([createVerifiedUser(), createVerifiedUser()]);
    const a = await atNewHop(first!, email);
    const b = await atNewHop(second!, email);

    const outcomes = await Promise.all([codeOf(confirm(a.newLink.token)), codeOf(confirm(b.newLink.token))]);

    expect(outcomes.sort()).toEqual(["EMAIL_TAKEN", "resolved"]);
    const owners = await db.user.findMany({ where: { email }, select: { id: true } });
    expect(owners).toHaveLength(1);
    const loser = owners[0]!.id === first!.id ? second! : first!;
    expect(await userRow(loser.id)).toMatchObject({ email: loser.email, sessionVersion: loser.sessionVersion });
    expect((await requestRow(loser.id === first!.id ? a.request.id : b.request.id)).status).toBe("failed");
  });

  it("refuses a change-hop link past its expiry", async () => {
    const user = await createVerifiedUser();
    const { request, link } = await startChange(user);
    await db.$executeRaw`UPDATE email_links SET expires_at = now() - interval '1 second' WHERE id = ${link.linkId}::uuid`;

    await expect(confirm(link.token)).rejects.toMatchObject({ code: "LINK_EXPIRED" });
    expect((await requestRow(request.id)).currentHop).toBe("old");
  });
});
