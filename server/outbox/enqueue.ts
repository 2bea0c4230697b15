import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/server/db";

/** An event as `eventType(...).create(...)` builds it: a name, its data, and optionally a stable id. */
export type OutboxEvent = { name: string; data: unknown; id?: string };

/**
 * Writes events to the outbox inside the caller's transaction (ADR 0016):
 * they commit or roll back with the fact they describe, so no fact is ever
 * recorded without its event, and no event describes a fact that never
 * committed. Returns the rows' ids; hand them to `relayAfterCommit` once the
 * transaction has committed (the reconciliation cron sends them anyway if
 * that never happens, e.g. the process dies first).
 */
export async function enqueue(tx: Tx, events: OutboxEvent | OutboxEvent[]): Promise<string[]> {
  const rows = (Array.isArray(events) ? events : [events]).map((event) => ({
    id: randomUUID(),
    name: event.name,
    data: event.data as object,
    // Events without a deterministic id get one now, stored with the row, so
    // every attempt to send this row carries the same id and Inngest
    // deduplicates a repeat.
    eventId: event.id ?? randomUUID(),
  }));
  // One statement per event, in order: seq then orders a batch the way the
  // caller listed it (a superseded request's close before the new request's
  // start).
  for (const row of rows) {
    // A deterministic id seen again (the same request published twice) is
    // the same event: keep the first row, do not fail the fact.
    await tx.outboxEvent.upsert({ where: { eventId: row.eventId }, create: row, update: {} });
  }
  return rows.map((row) => row.id);
}
