import { describe, expect, it, vi } from "vitest";
import { subject as changeNewSubject } from "@/emails/confirm-change-new";
import { subject as changeOldSubject } from "@/emails/confirm-change-old";
import { subject as verifySubject } from "@/emails/verify-email";
import { maskEmail } from "@/lib/email-address";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { createRequest } from "@/server/email-requests/create-request";
import { presentEmailRequest } from "@/server/email-requests/present";
import { sendEmailLink } from "@/server/email-requests/send-email-link";
import { hashLinkToken } from "@/server/email-requests/tokens";
import { env } from "@/server/env";
import * as mailer from "@/server/mailer";
import { nextSendAllowedAt } from "@/server/email-requests/send-limits";
import { createUser, createVerifiedUser, linksOf, requestRow, uniqueEmail } from "@/tests/support/factories";
import { confirmAsOwner, sendLink, startAdd, startChange } from "@/tests/support/flows";
import { emailsTo } from "@/tests/support/mailbox";

const near = (date: Date, expected: number) => expect(Math.abs(date.getTime() - expected)).toBeLessThan(5_000);

describe("sendEmailLink", () => {
  it("add: emails a one-time link to the address over SMTP, and stores only the token's HMAC", async () => {
    const user = await createUser({ fullName: "Sita Sharma" });
    const email = uniqueEmail();
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });

    const outcome = await sendEmailLink({ requestId: request.id });

    const [caught, ...others] = await emailsTo(email);
    expect(others).toEqual([]);
    expect(caught).toMatchObject({ to: [email], subject: verifySubject, from: env.MAIL_FROM });
    // The address is not verified yet: the name (typed by the requester) stays out of the email.
    expect(caught!.text).not.toContain("Sita Sharma");
    const url = new URL(/https?:\/\/\S+token=[A-Za-z0-9_-]+/.exec(caught!.text)![0]);
    expect(url.origin + url.pathname).toBe(new URL("/email/confirm", env.APP_URL).toString());
    const token = url.searchParams.get("token")!;

    const [link] = await linksOf(request.id);
    expect(link).toMatchObject({ hop: "new", sentTo: email, tokenHash: hashLinkToken(token), usedAt: null, voidedAt: null });
    // The token itself is nowhere in the database.
    const [{ found }] = (await db.$queryRaw<{ found: bigint }[]>`
      SELECT count(*) AS found FROM email_links l JOIN email_requests r ON r.id = l.request_id
      LEFT JOIN audit_events a ON a.user_id = r.user_id
      WHERE r.id = ${request.id}::uuid AND (l::text LIKE ${`%${token}%`} OR r::text LIKE ${`%${token}%`} OR coalesce(a::text, '') LIKE ${`%${token}%`})`) as [
      { found: bigint },
    ];
    expect(found).toBe(0n);

    near(link!.expiresAt, Date.now() + rules.addLinkLifetimeMs);
    expect(outcome).toEqual({ sent: true, hop: "new", hopExpiresAt: link!.expiresAt.toISOString() });
    // An add's link is the request: each new link extends the request to its own expiry.
    expect(await requestRow(request.id)).toMatchObject({
      hopExpiresAt: link!.expiresAt,
      expiresAt: link!.expiresAt,
      lastSentAt: expect.any(Date),
    });
  });

  it("a new send voids the previous link, so only the newest one works", async () => {
    const user = await createUser();
    const { request, link: first } = await startAdd(user);

    const second = await sendLink(request.id);

    const links = await linksOf(request.id);
    expect(links.map((link) => link.voidedAt !== null)).toEqual([true, false]);
    await expect(confirmEmailLink({ token: first.token, meta: NO_META })).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    await expect(confirmEmailLink({ token: second.token, meta: NO_META })).resolves.toMatchObject({ outcome: "verified" });
  });

  it("change, old hop: goes to the old address and shows the new one masked only", async () => {
    const user = await createVerifiedUser();
    const newEmail = uniqueEmail("new");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: newEmail, meta: NO_META });

    const outcome = await sendEmailLink({ requestId: request.id });

    expect(outcome).toMatchObject({ sent: true, hop: "old" });
    const [caught] = await emailsTo(user.email!);
    expect(caught!.subject).toBe(changeOldSubject);
    expect(caught!.text).toContain(maskEmail(newEmail));
    expect(caught!.text + caught!.html).not.toContain(newEmail);
    expect(await emailsTo(newEmail)).toEqual([]);
    const [link] = await linksOf(request.id);
    near(link!.expiresAt, Date.now() + rules.changeHopLifetimeMs);
    // A change's lifetime is its own: a link does not extend it.
    expect((await requestRow(request.id)).expiresAt).toEqual(request.expiresAt);
  });

  it("change, new hop: goes to the new address once the old one confirmed", async () => {
    const user = await createVerifiedUser();
    const { request, email, link } = await startChange(user);
    await confirmAsOwner(link.token);

    const outcome = await sendEmailLink({ requestId: request.id });

    expect(outcome).toMatchObject({ sent: true, hop: "new" });
    const [caught] = await emailsTo(email);
    expect(caught!.subject).toBe(changeNewSubject);
    expect(await emailsTo(user.email!)).toHaveLength(1); // only the old hop's email
  });

  it("never issues a link that outlives its change request", async () => {
    const user = await createVerifiedUser();
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });
    const [{ expires_at: requestEnds }] = (await db.$queryRaw<{ expires_at: Date }[]>`
      UPDATE email_requests SET expires_at = now() + interval '10 minutes' WHERE id = ${request.id}::uuid RETURNING expires_at`) as [
      { expires_at: Date },
    ];

    await sendEmailLink({ requestId: request.id });

    expect((await linksOf(request.id))[0]!.expiresAt).toEqual(requestEnds);
  });

  it("sends nothing for a request that is no longer pending, or does not exist", async () => {
    const user = await createUser();
    const email = uniqueEmail();
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
    await cancelEmailRequest({ userId: user.id, meta: NO_META });

    expect(await sendEmailLink({ requestId: request.id })).toEqual({ sent: false, reason: "request is cancelled" });
    expect(await sendEmailLink({ requestId: crypto.randomUUID() })).toEqual({ sent: false, reason: "request not found" });
    expect(await linksOf(request.id)).toEqual([]);
    expect(await emailsTo(email)).toEqual([]);
  });

  it("an SMTP outage costs the user nothing: failed attempts leave no link, no cooldown, no count, and the old link keeps working", async () => {
    const user = await createUser();
    const { request, link: first } = await startAdd(user);
    await db.emailRequest.update({ where: { id: request.id }, data: { lastSentAt: new Date(Date.now() - 61_000) } });
    const before = await requestRow(request.id);

    const outage = vi.spyOn(mailer, "sendEmail").mockRejectedValue(new Error("451 try again later"));
    try {
      for (let attempt = 0; attempt < 5; attempt++) await expect(sendEmailLink({ requestId: request.id })).rejects.toThrow("451");
    } finally {
      outage.mockRestore();
    }

    // Nothing was sent, so nothing is counted and nothing was replaced.
    expect(await linksOf(request.id)).toHaveLength(1);
    const after = await requestRow(request.id);
    expect(after).toMatchObject({ lastSentAt: before.lastSentAt, hopExpiresAt: before.hopExpiresAt });
    expect((await nextSendAllowedAt(after)).getTime() - Date.now()).toBeLessThan(1000);
    // The profile tells the truth: the new link could not be sent, the old one still works.
    expect(presentEmailRequest(after)).toMatchObject({ sendFailed: true, sentTo: maskEmail(first.sentTo) });
    await sendLink(request.id);
    expect(presentEmailRequest(await requestRow(request.id)).sendFailed).toBe(false);
  });

  it("a link delivered before the outage keeps working through it", async () => {
    const user = await createUser();
    const { request, link: first } = await startAdd(user);
    const outage = vi.spyOn(mailer, "sendEmail").mockRejectedValue(new Error("451 try again later"));
    try {
      await expect(sendEmailLink({ requestId: request.id })).rejects.toThrow("451");
    } finally {
      outage.mockRestore();
    }
    await expect(confirmEmailLink({ token: first.token, meta: NO_META })).resolves.toMatchObject({ outcome: "verified" });
  });
});
