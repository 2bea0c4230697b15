import "server-only";
import { paymentRules } from "@/lib/rules";
import { db } from "@/server/db";
import { enqueue } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";
import { paymentOccurrenceDue } from "@/lib/events";

// A lost event must never lose a payment. Every few minutes this finds
// active schedules whose next occurrence is overdue (its time, or its retry
// time, passed more than reconcileAfterMs ago) and still not ended, and
// starts a run for it. If the original run is in fact alive (the engine was
// only slow), the two meet in the database: the occurrence's row lock and
// state let one execute and make the other stale, and the ledger key allows
// one entry.

const BATCH = 500;

export async function reconcileScheduledPayments(at: Date): Promise<{ redriven: number }> {
  const before = new Date(at.getTime() - paymentRules.reconcileAfterMs);
  const overdue = await db.$queryRaw<{ id: string; version: number; number: number; due_at: Date; wallet_id: string }[]>`
    SELECT s.id::text, s.version, s.next_number AS number, COALESCE(o.next_attempt_at, o.due_at) AS due_at, w.id::text AS wallet_id
      FROM scheduled_payments s
      JOIN payment_occurrences o ON o.schedule_id = s.id AND o.number = s.next_number
      JOIN wallets w ON w.user_id = s.user_id
     WHERE s.status = 'active' AND s.next_run_at < ${before}
       AND o.status IN ('scheduled', 'retrying') AND COALESCE(o.next_attempt_at, o.due_at) < ${before}
     ORDER BY s.next_run_at
     LIMIT ${BATCH}`;
  if (overdue.length === 0) return { redriven: 0 };
  // One re-drive per occurrence per reconcile window: a second pass in the
  // same window writes nothing new.
  const slot = Math.floor(at.getTime() / paymentRules.reconcileAfterMs);
  const outbox = await db.$transaction((tx) =>
    enqueue(
      tx,
      overdue.map((row) =>
        paymentOccurrenceDue.create(
          { scheduleId: row.id, walletId: row.wallet_id, version: row.version, number: row.number, dueAt: row.due_at.toISOString() },
          { id: `occurrence-due:${row.id}:v${row.version}:n${row.number}:reconcile-${slot}` },
        ),
      ),
    ),
  );
  relayAfterCommit(outbox);
  return { redriven: overdue.length };
}
