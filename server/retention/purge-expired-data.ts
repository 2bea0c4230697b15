import "server-only";
import { rules } from "@/lib/rules";
import { db } from "@/server/db";

export type Purged = { links: number; sessions: number; auditEvents: number; outboxEvents: number };

/**
 * Retention, run daily by inngest/functions/purge-expired-data.ts:
 *  - a request's links, 30 days after the request closed (the request row
 *    stays: it holds no secret and the account's history needs it);
 *  - session rows 30 days after they ended or could no longer be used;
 *  - audit events after 13 months, through the database function that alone
 *    may delete them and that fixes the age itself;
 *  - outbox rows a week after they were published (never an unpublished
 *    one: it is an event still to be sent).
 */
export async function purgeExpiredData(): Promise<Purged> {
  const links = await db.$executeRaw`
    DELETE FROM email_links l USING email_requests r
    WHERE l.request_id = r.id
      AND r.closed_at IS NOT NULL
      AND r.closed_at < now() - make_interval(secs => ${rules.linkRetentionMs / 1000})`;
  const sessions = await db.$executeRaw`
    DELETE FROM sessions
    WHERE LEAST(
            COALESCE(ended_at, 'infinity'),
            created_at + make_interval(secs => ${rules.sessionLifetimeMs / 1000}),
            last_seen_at + make_interval(secs => ${rules.sessionIdleTimeoutMs / 1000})
          ) < now() - make_interval(secs => ${rules.sessionRetentionMs / 1000})`;
  const [audit] = await db.$queryRaw<{ deleted: number }[]>`SELECT audit_purge_expired() AS deleted`;
  return { links, sessions, auditEvents: audit?.deleted ?? 0, outboxEvents: await purgePublishedOutbox() };
}

/**
 * Deletes published outbox rows past rules.outboxRetentionMs, a batch per
 * statement (each its own short transaction) until a batch comes back short.
 * The relay's (published_at, next_attempt_at) index serves the range.
 */
async function purgePublishedOutbox(): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM outbox_events WHERE id IN (
        SELECT id FROM outbox_events
        WHERE published_at IS NOT NULL
          AND published_at < now() - make_interval(secs => ${rules.outboxRetentionMs / 1000})
        LIMIT ${rules.outboxPurgeBatch})`;
    total += deleted;
    if (deleted < rules.outboxPurgeBatch) return total;
  }
}
