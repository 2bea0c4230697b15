import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { createRequest } from "@/server/email-requests/create-request";
import { sendEmailLink } from "@/server/email-requests/send-email-link";
import { publishedEvents, publishedFor } from "@/tests/support/events";
import { createUser, createVerifiedUser, linksOf, requestRow, requestsOf, uniqueEmail, userRow } from "@/tests/support/factories";
import { confirmAsOwner, race, rejectionOf, sendLink, startAdd, startChange } from "@/tests/support/flows";

const add = (userId: string, email = uniqueEmail()) => createRequest({ userId, addressCheck: "answer-taken", email, meta: NO_META });
const change = (userId: string, email = uniqueEmail()) => createRequest({ userId, addressCheck: "answer-taken", email, meta: NO_META });
const near = (date: Date | null, expected: number) => expect(Math.abs(date!.getTime() - expected)).toBeLessThan(5_000);

describe("createRequest", () => {
  it("add: keeps the address on the request only (it holds nothing until confirmed) and starts the workflow, once", async () => {
    const user = await createUser();
    const email = uniqueEmail();

    const request = await add(user.id, email);

    expect(await userRow(user.id)).toMatchObject({ email: null, emailVerifiedAt: null });
    expect(request).toMatchObject({
      kind: "add",
      status: "pending",
      currentHop: "new",
      newEmail: email,
      oldEmail: null,
      hopExpiresAt: null,
      lastSentAt: null,
    });
    near(request.expiresAt, Date.now() + rules.addLinkLifetimeMs);
    const started = await publishedEvents({ name: "account/email.requested", requestId: request.id });
    // The request id is the event id: a second publish could never start a second workflow.
    expect(started).toMatchObject([{ id: `email-request-${request.id}`, data: { requestId: request.id, userId: user.id, kind: "add" } }]);
  });

  it("add: keeps the full address out of the audit log", async () => {
    const user = await createUser();
    const email = uniqueEmail();
    const request = await add(user.id, email);

    const [entry] = await db.auditEvent.findMany({ where: { userId: user.id, action: "email.requested" } });
    expect(entry!.details).toMatchObject({ requestId: request.id, kind: "add" });
    expect(JSON.stringify(entry!.details)).not.toContain(email);
  });

  it("change: leaves the account as it is and records the old address for the first hop", async () => {
    const user = await createVerifiedUser();

    const request = await change(user.id);

    expect(await userRow(user.id)).toMatchObject({ email: user.email, emailVerifiedAt: user.emailVerifiedAt });
    expect(request).toMatchObject({ kind: "change", status: "pending", currentHop: "old", oldEmail: user.email });
    near(request.expiresAt, Date.now() + rules.changeRequestLifetimeMs);
  });

  it("supersedes the pending request: its links stop working and its workflow is told", async () => {
    const user = await createUser();
    const first = await startAdd(user);

    const second = await add(user.id);

    expect(await requestRow(first.request.id)).toMatchObject({ status: "superseded", currentHop: null, closedAt: expect.any(Date) });
    expect((await linksOf(first.request.id)).every((link) => link.voidedAt)).toBe(true);
    expect(await publishedEvents({ name: "account/email-request.closed", requestId: first.request.id })).toMatchObject([
      { data: { reason: "superseded" } },
    ]);
    await expect(confirmAsOwner(first.link.token)).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    expect((await requestsOf(user.id)).filter((r) => r.status === "pending").map((r) => r.id)).toEqual([second.id]);
  });

  it("two requests of one user at once: exactly one stays pending, the other is superseded, older links die", async () => {
    const user = await createUser();
    const earlier = await startAdd(user);
    const emails = [uniqueEmail("tab1"), uniqueEmail("tab2")];

    const { won, codes } = await race(2, (i) => add(user.id, emails[i]));

    expect(codes).toEqual([]);
    const statuses = await Promise.all(won.map(async (request) => (await requestRow(request.id)).status));
    expect([...statuses].sort()).toEqual(["pending", "superseded"]);
    const pending = won[statuses.indexOf("pending")]!;
    const loser = won[statuses.indexOf("superseded")]!;
    // Only the request that stayed can send its link; the account holds no address meanwhile.
    expect((await userRow(user.id)).email).toBeNull();
    expect(await sendEmailLink({ requestId: loser.id })).toEqual({ sent: false, reason: "request is superseded" });
    await expect(confirmAsOwner(earlier.link.token)).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    const { token } = await sendLink(pending.id);
    await expect(confirmAsOwner(token)).resolves.toMatchObject({ outcome: "verified" });
  });

  it("refuses an address another account has verified, creating nothing, and counts the answer", async () => {
    const email = uniqueEmail();
    await createUser({ email, verified: true });
    const user = await createUser();
    const changer = await createVerifiedUser();

    await expect(add(user.id, email)).rejects.toMatchObject({ code: "EMAIL_TAKEN", fields: { email: expect.any(String) } });
    await expect(change(changer.id, email)).rejects.toMatchObject({ code: "EMAIL_TAKEN" });

    expect(await requestsOf(user.id)).toEqual([]);
    expect((await userRow(user.id)).email).toBeNull();
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "email.taken" } })).toBe(1);
  });

  it("two accounts adding one address at once: both requests stand (the confirmation decides)", async () => {
    const email = uniqueEmail();
    const users = [await createUser(), await createUser()];

    const { won, codes } = await race(2, (i) => add(users[i]!.id, email));

    expect(codes).toEqual([]);
    expect(won.map((request) => request.newEmail)).toEqual([email, email]);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("lets a user ask again for the address they are verifying", async () => {
    const user = await createUser();
    const { email, request } = await startAdd(user);

    const again = await add(user.id, email);

    expect(again.id).not.toBe(request.id);
    expect(again).toMatchObject({ kind: "add", newEmail: email });
  });

  it(`refuses a new request once the user was sent ${rules.maxSendsPerUserPerHour} emails in the hour`, async () => {
    const user = await createVerifiedUser();
    // A change's old hop (the account's own address): the per-recipient cap stays out of the way.
    const { request } = await startChange(user);
    for (let sent = 1; sent < rules.maxSendsPerUserPerHour; sent++) await sendEmailLink({ requestId: request.id });
    // The oldest of them was sent 50 minutes ago: the next email is allowed in about 10 minutes.
    await db.$executeRaw`UPDATE email_links SET created_at = now() - interval '50 minutes' WHERE request_id = ${request.id}::uuid`;

    const error = await rejectionOf(change(user.id));

    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfter).toBeGreaterThan(595);
    expect(error.retryAfter).toBeLessThanOrEqual(600);
    // Nothing changed: the pending request is still the one waiting.
    expect(await requestRow(request.id)).toMatchObject({ status: "pending" });
    expect(await publishedFor(request.id)).not.toContainEqual(expect.objectContaining({ name: "account/email-request.closed" }));
  });
});
