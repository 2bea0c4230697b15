import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { createRequest } from "@/server/email-requests/create-request";
import { sendEmailLink } from "@/server/email-requests/send-email-link";
import { assertUserCanReceiveEmail, claimSend, nextSendAllowedAt } from "@/server/email-requests/send-limits";
import { createUser, requestRow, uniqueEmail } from "@/tests/support/factories";
import { race, rejectionOf } from "@/tests/support/flows";

const MINUTE = 60_000;

/**
 * A pending change whose old-hop link went out `sends` times (each send is one
 * link row). The old hop goes to the account's own verified address, so the
 * per-recipient cap on verification emails (tested in address-abuse) stays out of the way.
 */
async function requestWithSends(sends: number) {
  const user = await createUser({ email: true, verified: true });
  const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });
  for (let i = 0; i < sends; i++) await sendEmailLink({ requestId: request.id });
  return { user, request: await requestRow(request.id) };
}

/** Moves the request's last send (the cooldown) and its links (the hourly window) into the past. */
async function age(requestId: string, options: { lastSentMinutesAgo?: number; linksMinutesAgo?: number }) {
  if (options.lastSentMinutesAgo !== undefined) {
    await db.$executeRaw`UPDATE email_requests SET last_sent_at = now() - make_interval(mins => ${options.lastSentMinutesAgo}) WHERE id = ${requestId}::uuid`;
  }
  if (options.linksMinutesAgo !== undefined) {
    await db.$executeRaw`UPDATE email_links SET created_at = now() - make_interval(mins => ${options.linksMinutesAgo}) WHERE request_id = ${requestId}::uuid`;
  }
  return requestRow(requestId);
}

describe("nextSendAllowedAt", () => {
  it("before the first send, is a cooldown after the request: its first link is already on its way", async () => {
    const { request } = await requestWithSends(0);
    expect((await nextSendAllowedAt(request)).getTime()).toBe(request.createdAt.getTime() + rules.resendCooldownMs);
  });

  it("is the end of the cooldown after a send", async () => {
    const { request } = await requestWithSends(1);
    expect((await nextSendAllowedAt(request)).getTime()).toBe(request.lastSentAt!.getTime() + rules.resendCooldownMs);
  });

  it(`is an hour after the oldest of the last ${rules.maxSendsPerHour} sends once the cap is reached`, async () => {
    const { request } = await requestWithSends(rules.maxSendsPerHour);
    const aged = await age(request.id, { lastSentMinutesAgo: 2, linksMinutesAgo: 40 });
    const oldest = (await db.emailLink.findFirstOrThrow({ where: { requestId: request.id }, orderBy: { createdAt: "asc" } })).createdAt;
    expect((await nextSendAllowedAt(aged)).getTime()).toBe(oldest.getTime() + 60 * MINUTE);
  });
});

describe("claimSend", () => {
  it("refuses within the cooldown, saying when to retry", async () => {
    const { request } = await requestWithSends(1);

    const error = await rejectionOf(claimSend(request));

    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfter).toBeGreaterThan(rules.resendCooldownMs / 1000 - 5);
    expect(error.retryAfter).toBeLessThanOrEqual(rules.resendCooldownMs / 1000);
    expect(Math.abs(new Date(error.extra!.retryAt!).getTime() - (Date.now() + error.retryAfter! * 1000))).toBeLessThan(2000);
  });

  it("passes after the cooldown and starts a new one", async () => {
    const { request } = await requestWithSends(1);
    const aged = await age(request.id, { lastSentMinutesAgo: 2 });

    await claimSend(aged);

    const claimed = await requestRow(request.id);
    expect(Math.abs(claimed.lastSentAt!.getTime() - Date.now())).toBeLessThan(2000);
    await expect(claimSend(claimed)).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("of ten claims at once for one request, exactly one passes", async () => {
    const { request } = await requestWithSends(1);
    const aged = await age(request.id, { lastSentMinutesAgo: 2 });

    const { won, codes } = await race(10, () => claimSend(aged));

    expect(won).toHaveLength(1);
    expect(codes).toEqual(Array(9).fill("RATE_LIMITED"));
  });

  it(`refuses the ${rules.maxSendsPerHour + 1}th send in an hour even after the cooldown, until the oldest send is an hour old`, async () => {
    const { request } = await requestWithSends(rules.maxSendsPerHour);
    const aged = await age(request.id, { lastSentMinutesAgo: 2, linksMinutesAgo: 50 });

    const error = await rejectionOf(claimSend(aged));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfter).toBeGreaterThan(10 * 60 - 5);
    expect(error.retryAfter).toBeLessThanOrEqual(10 * 60);

    // One of those sends leaves the window: the next claim passes.
    await db.$executeRaw`UPDATE email_links SET created_at = now() - interval '61 minutes'
      WHERE id = (SELECT id FROM email_links WHERE request_id = ${request.id}::uuid ORDER BY created_at LIMIT 1)`;
    await expect(claimSend(aged)).resolves.toBeUndefined();
  });

  it(`allows ${rules.maxSendsPerHour - 1} sends in the hour`, async () => {
    const { request } = await requestWithSends(rules.maxSendsPerHour - 1);
    await expect(claimSend(await age(request.id, { lastSentMinutesAgo: 2 }))).resolves.toBeUndefined();
  });
});

describe("assertUserCanReceiveEmail", () => {
  it(`counts every request of the user: the ${rules.maxSendsPerUserPerHour}th email in an hour is the last`, async () => {
    const { user, request } = await requestWithSends(rules.maxSendsPerUserPerHour - 3);
    const other = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });
    await sendEmailLink({ requestId: other.id });
    await sendEmailLink({ requestId: other.id });
    await expect(assertUserCanReceiveEmail(user.id)).resolves.toBeUndefined(); // 9 sent

    await sendEmailLink({ requestId: other.id }); // 10
    await expect(assertUserCanReceiveEmail(user.id)).rejects.toMatchObject({ code: "RATE_LIMITED" });

    // An hour after the older request's sends, the user may ask again.
    await age(request.id, { linksMinutesAgo: 61 });
    await expect(assertUserCanReceiveEmail(user.id)).resolves.toBeUndefined();
  });

  it("does not count other users' emails", async () => {
    await requestWithSends(rules.maxSendsPerUserPerHour);
    const { user } = await requestWithSends(1);
    await expect(assertUserCanReceiveEmail(user.id)).resolves.toBeUndefined();
  });
});
