import { describe, expect, it, vi } from "vitest";
import { rules } from "@/lib/rules";
import { signUp } from "@/server/accounts/sign-up";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { resendExpiredLink } from "@/server/email-requests/resend-expired-link";
import { sendEmailLink } from "@/server/email-requests/send-email-link";
import { startEmailRequest } from "@/server/email-requests/start-email-request";
import { publishedEvents } from "@/tests/support/events";
import {
  createUser,
  createVerifiedUser,
  linksOf,
  requestRow,
  requestsOf,
  uniqueEmail,
  uniquePhone,
  userRow,
  type TestUser,
} from "@/tests/support/factories";
import { emailsTo } from "@/tests/support/mailbox";
import { confirmAsOwner, race, rejectionOf, sendLink } from "@/tests/support/flows";

// The abuse cases of issue 10 that concern addresses: squatting (item 5),
// enumeration (item 4), verification mail as a spam channel (item 6) and the
// races and restarts of item 9. Everything goes through the server functions
// a request calls, on the real database and SMTP.

const start = (user: TestUser, email: string) => startEmailRequest({ user, email, password: user.password, meta: NO_META });
const pendingOf = async (userId: string) => (await requestsOf(userId)).find((request) => request.status === "pending")!;

describe("squatting: an unverified address holds nothing", () => {
  it("an address someone else has pending (unverified) can still be added by its owner", async () => {
    const email = uniqueEmail("squat");
    const squatter = await createUser();
    await start(squatter, email);

    const owner = await createUser();
    const view = await start(owner, email);

    expect(view).toMatchObject({ kind: "add", newEmail: email });
    // Nobody's account carries an unverified address.
    expect((await userRow(squatter.id)).email).toBeNull();
    expect((await userRow(owner.id)).email).toBeNull();
  });

  it("two accounts confirming the same address at once: exactly one gets it, the other's request fails", async () => {
    const email = uniqueEmail("race");
    const users = [await createUser(), await createUser()];
    for (const user of users) await start(user, email);
    const tokens: string[] = [];
    for (const user of users) tokens.push((await sendLink((await pendingOf(user.id)).id)).token);

    const { won, codes } = await race(2, (i) => confirmAsOwner(tokens[i]));

    expect(won).toMatchObject([{ outcome: "verified" }]);
    expect(codes).toEqual(["EMAIL_TAKEN"]);
    expect(await db.user.count({ where: { email } })).toBe(1);
    const loser = users.find((user) => user.id !== won[0]!.userId)!;
    expect((await userRow(loser.id)).email).toBeNull();
    expect((await requestsOf(loser.id))[0]!.status).toBe("failed");
  });

  it("signup with an address that is already someone's verified one answers like any other signup", async () => {
    const email = uniqueEmail("held");
    await createVerifiedUser({ email });

    const user = await signUp({ phone: uniquePhone(), fullName: "Nabin Karki", password: "wallet-pass-42", email, meta: NO_META });

    expect(user).toMatchObject({ email, emailVerifiedAt: null });
    // Confirming later cannot take it: uniqueness is decided at confirmation.
    const { token } = await sendLink((await pendingOf(user.id)).id);
    await expect(confirmAsOwner(token)).rejects.toMatchObject({ code: "EMAIL_TAKEN" });
    expect(await db.user.count({ where: { email } })).toBe(1);
  });
});

describe("enumeration: EMAIL_TAKEN answers are budgeted per account", () => {
  it(`after ${rules.maxEmailTakenAnswersPerHour} taken answers in an hour, every address is answered RATE_LIMITED, free ones too`, async () => {
    const user = await createUser();
    for (let i = 0; i < rules.maxEmailTakenAnswersPerHour; i++) {
      const { email } = await createVerifiedUser();
      await expect(start(user, email!)).rejects.toMatchObject({ code: "EMAIL_TAKEN" });
    }
    const { email: taken } = await createVerifiedUser();

    const error = await rejectionOf(start(user, taken!));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfter).toBeGreaterThan(3500);
    // Checked before the address is looked up: a free address gets the same answer.
    await expect(start(user, uniqueEmail())).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await requestsOf(user.id)).toEqual([]);
  });
});

describe("spam: verification mail per recipient", () => {
  it(`at most ${rules.maxVerificationEmailsPerRecipientPerDay} verification emails to one address in 24 hours, across accounts`, async () => {
    const email = uniqueEmail("victim");
    const sent = [];
    for (let i = 0; i < rules.maxVerificationEmailsPerRecipientPerDay + 1; i++) {
      const user = await createUser();
      await db.emailRequest.create({
        data: { userId: user.id, kind: "add", newEmail: email, currentHop: "new", expiresAt: new Date(Date.now() + 3_600_000) },
      });
      sent.push(await sendEmailLink({ requestId: (await pendingOf(user.id)).id }));
    }

    expect(sent.filter((outcome) => outcome.sent)).toHaveLength(rules.maxVerificationEmailsPerRecipientPerDay);
    expect(sent.at(-1)).toMatchObject({ sent: false });
    expect(await db.emailLink.count({ where: { sentTo: email } })).toBe(rules.maxVerificationEmailsPerRecipientPerDay);
    expect(await emailsTo(email)).toHaveLength(rules.maxVerificationEmailsPerRecipientPerDay);
  });

  it("the verification email carries nothing the requester typed: no full name", async () => {
    const user = await createUser({ fullName: "Win A Prize" });
    const email = uniqueEmail("plain");
    await start(user, email);

    const { email: caught } = await sendLink((await pendingOf(user.id)).id);

    expect(caught.text + caught.html + caught.subject).not.toContain("Win A Prize");
  });
});

describe("races and restarts", () => {
  it("add vs change is decided from the locked row, not from a stale session copy", async () => {
    const verified = await createVerifiedUser();
    const stale = { ...verified, email: null, emailVerifiedAt: null };

    const view = await start(stale, uniqueEmail("stale"));

    expect(view.kind).toBe("change");
    expect(await userRow(verified.id)).toMatchObject({ email: verified.email, emailVerifiedAt: verified.emailVerifiedAt });
  });

  it("a resend whose read happened before the hop was confirmed does not re-arm the finished hop", async () => {
    const user = await createVerifiedUser();
    const { id } = await start(user, uniqueEmail("rearm"));
    const old = await sendLink(id);
    await db.$executeRaw`UPDATE email_requests SET last_sent_at = now() - interval '2 minutes' WHERE id = ${id}::uuid`;

    // The confirm lands right after the resend read the request.
    const findUnique = db.emailRequest.findUnique.bind(db.emailRequest);
    const spy = vi.spyOn(db.emailRequest, "findUnique").mockImplementationOnce((async (args: Parameters<typeof findUnique>[0]) => {
      const read = await findUnique(args);
      await confirmAsOwner(old.token);
      return read;
    }) as never);
    try {
      expect(await sendEmailLink({ requestId: id })).toMatchObject({ sent: false });
    } finally {
      spy.mockRestore();
    }

    // The new hop still needs its link (the workflow sends it), and no second old-hop link exists.
    expect(await requestRow(id)).toMatchObject({ currentHop: "new", hopExpiresAt: null });
    expect((await linksOf(id)).filter((link) => link.hop === "old")).toHaveLength(1);
  });

  it("the expired-link resend takes only the latest link of the current hop", async () => {
    const user = await createVerifiedUser();
    const { id } = await start(user, uniqueEmail("latest"));
    const first = await sendLink(id);
    await sendLink(id);
    await db.$executeRaw`UPDATE email_links SET expires_at = now() - interval '1 second' WHERE request_id = ${id}::uuid`;
    await db.$executeRaw`UPDATE email_requests SET last_sent_at = now() - interval '2 minutes' WHERE id = ${id}::uuid`;

    await expect(resendExpiredLink({ token: first.token, meta: NO_META })).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    expect(await publishedEvents({ name: "account/email-link.resend-requested", requestId: id })).toEqual([]);
  });

  it("the expired-link resend never revives an add the user has since moved on from", async () => {
    const user = await createUser();
    const email = uniqueEmail("revive");
    await start(user, email);
    const firstId = (await pendingOf(user.id)).id;
    const first = await sendLink(firstId);
    await db.$executeRaw`UPDATE email_requests SET expires_at = now() - interval '1 second', status = 'expired', current_hop = NULL WHERE id = ${firstId}::uuid`;
    // The user asked again for the same address; that request ended too.
    await start(user, email);
    const secondId = (await pendingOf(user.id)).id;
    await db.$executeRaw`UPDATE email_requests SET expires_at = now() - interval '1 second', status = 'expired', current_hop = NULL WHERE id = ${secondId}::uuid`;

    await expect(resendExpiredLink({ token: first.token, meta: NO_META })).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
    expect(await requestsOf(user.id)).toHaveLength(2);
  });
});
