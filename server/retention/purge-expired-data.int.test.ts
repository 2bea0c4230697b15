import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { purgeExpiredData } from "@/server/retention/purge-expired-data";
import { db } from "@/server/db";
import { createUser, linksOf, requestRow } from "@/tests/support/factories";
import { startAdd } from "@/tests/support/flows";
import { ageSession, signInSession } from "@/tests/support/sessions";

const DAY = 24 * 60 * 60_000;

/** Writes an audit row with a chosen age, as the database itself would have (the app cannot backdate or edit them). */
async function auditRowAged(userId: string, age: string): Promise<bigint> {
  // Inserting is allowed; the age is set in the INSERT, not by an UPDATE.
  const [row] = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO audit_events (user_id, action, created_at) VALUES (${userId}::uuid, 'test.aged', now() - ${age}::interval) RETURNING id`;
  return row!.id;
}

async function closedRequestAged(days: number) {
  const user = await createUser();
  const { request } = await startAdd(user);
  await cancelEmailRequest({ userId: user.id, meta: NO_META });
  await db.emailRequest.update({ where: { id: request.id }, data: { closedAt: new Date(Date.now() - days * DAY) } });
  return request.id;
}

describe("purgeExpiredData", () => {
  it(`deletes a closed request's links ${rules.linkRetentionMs / DAY} days after it closed, and nothing sooner`, async () => {
    const due = await closedRequestAged(rules.linkRetentionMs / DAY + 1);
    const recent = await closedRequestAged(rules.linkRetentionMs / DAY - 1);
    const pendingUser = await createUser();
    const { request: pending } = await startAdd(pendingUser);
    await db.emailLink.updateMany({ where: { requestId: pending.id }, data: { createdAt: new Date(Date.now() - 90 * DAY) } });

    await purgeExpiredData();

    expect(await linksOf(due)).toEqual([]);
    expect(await requestRow(due)).toMatchObject({ status: "cancelled" }); // the request itself stays
    expect(await linksOf(recent)).not.toEqual([]);
    expect(await linksOf(pending.id)).not.toEqual([]);
  });

  it("deletes session rows 30 days after they stopped being usable", async () => {
    const user = await createUser();
    const live = await signInSession(user);
    const endedLongAgo = await signInSession(user);
    const endedRecently = await signInSession(user);
    const idleLongAgo = await signInSession(user);
    await db.session.update({
      where: { id: endedLongAgo.sessionId },
      data: { endedAt: new Date(Date.now() - rules.sessionRetentionMs - DAY) },
    });
    await db.session.update({ where: { id: endedRecently.sessionId }, data: { endedAt: new Date(Date.now() - DAY) } });
    await ageSession(idleLongAgo.sessionId, { lastSeenMs: rules.sessionIdleTimeoutMs + rules.sessionRetentionMs + DAY });

    await purgeExpiredData();

    const left = (await db.session.findMany({ where: { userId: user.id }, select: { id: true } })).map((row) => row.id).sort();
    expect(left).toEqual([live.sessionId, endedRecently.sessionId].sort());
  });

  it(`deletes audit events older than ${rules.auditRetentionMonths} months, and only those`, async () => {
    const user = await createUser();
    const old = await auditRowAged(user.id, `${rules.auditRetentionMonths} months 1 day`);
    const kept = await auditRowAged(user.id, `${rules.auditRetentionMonths} months -1 day`);

    const purged = await purgeExpiredData();

    expect(purged.auditEvents).toBeGreaterThanOrEqual(1);
    expect(await db.auditEvent.findUnique({ where: { id: old } })).toBeNull();
    expect(await db.auditEvent.findUnique({ where: { id: kept } })).not.toBeNull();
  });

  it(`deletes outbox rows published more than ${rules.outboxRetentionMs / DAY} days ago, in batches, and never an unpublished one`, async () => {
    // More old rows than one batch holds, so the purge has to go round again.
    const tag = crypto.randomUUID();
    const aged = (count: number, published: string | null, created = "30 days") => db.$executeRaw`
      INSERT INTO outbox_events (id, name, data, event_id, created_at, published_at)
      SELECT gen_random_uuid(), 'test/aged', jsonb_build_object('tag', ${tag}::text, 'published', ${published}::text),
             gen_random_uuid()::text, now() - ${created}::interval, now() - ${published}::interval
      FROM generate_series(1, ${count})`;
    const days = rules.outboxRetentionMs / DAY;
    await aged(rules.outboxPurgeBatch + 5, `${days} days 1 hour`);
    await aged(2, `${days} days -1 hour`);
    // Never sent: the relay still owes them. (Younger than the health check's
    // staleness bound, so a health test running meanwhile stays "ok".)
    await aged(3, null, "1 minute");
    const left = async () =>
      (
        await db.$queryRaw<{ published: string | null; count: bigint }[]>`
          SELECT data->>'published' AS published, count(*) FROM outbox_events WHERE data->>'tag' = ${tag} GROUP BY 1`
      ).map((row) => ({ published: row.published, count: Number(row.count) }));

    try {
      const purged = await purgeExpiredData();

      expect(purged.outboxEvents).toBeGreaterThanOrEqual(rules.outboxPurgeBatch + 5);
      expect(await left()).toEqual(
        expect.arrayContaining([
          { published: `${days} days -1 hour`, count: 2 },
          { published: null, count: 3 },
        ]),
      );
      expect(await left()).toHaveLength(2);
    } finally {
      await db.outboxEvent.deleteMany({ where: { data: { path: ["tag"], equals: tag } } });
    }
  });
});
