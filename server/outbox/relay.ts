import "server-only";
import { after } from "next/server";
import { db } from "@/server/db";
import { inngest } from "@/server/inngest";
import { log } from "@/server/logger";
import { Prisma } from "@/server/generated/prisma/client";

// The relay: sends outbox rows to Inngest (ADR 0016). Called right after a
// commit for the rows that transaction wrote, and every minute by the
// reconciliation cron (inngest/functions/relay-outbox.ts) for anything
// overdue. Delivery is at least once; the row's stable event id makes a
// repeat a no-op at Inngest.

/** How long a claimed row is hidden from other relays while it is being sent. */
const LEASE_MS = 30_000;
/** A send that takes longer than this counts as failed (a frozen engine must not hold the relay). */
const SEND_TIMEOUT_MS = 10_000;
const BATCH = 100;

/** Backoff after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(10 * 60_000, 5000 * 2 ** Math.max(0, attempts - 1));
}

type Claimed = { id: string; name: string; data: Record<string, unknown>; event_id: string; attempts: number };

export type RelayResult = { published: number; failed: number };

/**
 * Sends due, unpublished rows (only `ids`, if given). Rows are claimed with
 * FOR UPDATE SKIP LOCKED and leased (next_attempt_at pushed LEASE_MS ahead)
 * in one statement, then sent outside any transaction: two relays never
 * claim the same row, and no connection is held while Inngest answers.
 */
export async function relayOutbox(options: { ids?: string[] } = {}): Promise<RelayResult> {
  const only = options.ids ? Prisma.sql`AND id = ANY(${options.ids}::uuid[])` : Prisma.empty;
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE outbox_events SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_MS / 1000})
    WHERE id IN (
      SELECT id FROM outbox_events
      WHERE published_at IS NULL AND next_attempt_at <= now() ${only}
      ORDER BY seq
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, name, data, event_id, attempts`;
  if (claimed.length === 0) return { published: 0, failed: 0 };
  // UPDATE … RETURNING gives no order; send in the order the facts happened.
  const ordered = await orderOf(claimed);

  try {
    await withTimeout(inngest.send(ordered.map((row) => ({ id: row.event_id, name: row.name, data: row.data }))), SEND_TIMEOUT_MS);
  } catch (error) {
    const message = String((error as Error).message ?? error).slice(0, 500);
    for (const row of ordered) {
      await db.outboxEvent.update({
        where: { id: row.id },
        data: { lastError: message, nextAttemptAt: new Date(Date.now() + backoffMs(row.attempts)) },
      });
    }
    // Names only: an event's data is ids, but the log need not carry them.
    log.warn("outbox: could not publish; will retry", {
      events: ordered.map((row) => row.name),
      attempts: ordered[0]!.attempts,
      error: message,
    });
    return { published: 0, failed: ordered.length };
  }
  await db.outboxEvent.updateMany({
    where: { id: { in: ordered.map((row) => row.id) } },
    data: { publishedAt: new Date(), lastError: null },
  });
  return { published: ordered.length, failed: 0 };
}

async function orderOf(claimed: Claimed[]): Promise<Claimed[]> {
  const created = await db.outboxEvent.findMany({
    where: { id: { in: claimed.map((row) => row.id) } },
    select: { id: true },
    orderBy: { seq: "asc" },
  });
  const byId = new Map(claimed.map((row) => [row.id, row]));
  return created.map(({ id }) => byId.get(id)!);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Inngest within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const inFlight = new Set<Promise<unknown>>();

/**
 * After the transaction that wrote `ids` has committed: send them without
 * making the caller wait for Inngest. Inside a Next.js request this runs in
 * `after()`, once the response is on its way (and the platform keeps the
 * function alive for it); elsewhere (a workflow step, a script, a test) it
 * starts at once in the background. Either way a failure only delays the
 * events until the reconciliation cron's next pass.
 */
export function relayAfterCommit(ids: string[]): void {
  if (ids.length === 0) return;
  const run = () => {
    const sending = relayOutbox({ ids }).catch((error: unknown) =>
      log.error("outbox: relay failed; the reconciliation cron will retry", { error: (error as Error).message }),
    );
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
    return sending;
  };
  try {
    after(run);
  } catch {
    // Outside a request scope `after` throws: no response to wait for.
    void run();
  }
}

/** Resolves once every relay this process started has finished (tests read what was published). */
export async function relaysSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}

/** The oldest unpublished event's age in ms (0 when none): the health check's backlog measure. */
export async function outboxBacklog(): Promise<{ pending: number; oldestAgeMs: number }> {
  const [row] = await db.$queryRaw<{ pending: bigint; oldest: Date | null }[]>`
    SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox_events WHERE published_at IS NULL`;
  return { pending: Number(row?.pending ?? 0), oldestAgeMs: row?.oldest ? Math.max(0, Date.now() - row.oldest.getTime()) : 0 };
}
