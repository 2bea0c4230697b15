// Retention: ended runs older than the retention age are deleted with all that
// belongs to them (history, steps, and any stray job or pause), then the events
// that no remaining run points at, then expired dedupe and idempotency keys.
// Each statement deletes at most `purgeBatchSize` rows in its own short
// transaction, so a large backlog never holds locks for long and the job loop
// keeps running in between. A running run is never touched, nor anything it
// needs: its jobs, pauses and triggering event, and cron jobs (no run).
import type { Core } from "./core";
import { transaction } from "./core";
import { errorMessage } from "./log";

/** What a pass deletes, by kind (also the labels of inngest_local_purged_total). */
export const PURGE_KINDS = ["runs", "steps", "history", "jobs", "pauses", "events", "event_ids", "idempotency_keys"] as const;
export type PurgeKind = (typeof PURGE_KINDS)[number];
export type PurgeCounts = Record<PurgeKind, number>;

/** Ended = completed, failed or cancelled; written as the partial index runs_ended is, so the planner can use it. */
const ENDED = "<> 'running'";

/**
 * One bounded DELETE per kind; $1 = cutoff (engine time), $2 = batch size.
 * `= ANY(ARRAY(subquery))` makes PostgreSQL pick the batch first and then
 * delete by primary key (or ctid), where `IN (subquery)` may scan the whole
 * table for every batch. Children of a doomed run go first, so the run row's
 * own DELETE cascades to nothing and stays as small as its batch.
 */
const STATEMENTS: Array<[PurgeKind, string]> = [
  [
    "history",
    `DELETE FROM run_history WHERE id = ANY(ARRAY(
       SELECT h.id FROM runs r JOIN run_history h ON h.run_id = r.id
        WHERE r.status ${ENDED} AND r.ended_at < $1 LIMIT $2))`,
  ],
  [
    "steps",
    `DELETE FROM run_steps WHERE ctid = ANY(ARRAY(
       SELECT s.ctid FROM runs r JOIN run_steps s ON s.run_id = r.id
        WHERE r.status ${ENDED} AND r.ended_at < $1 LIMIT $2))`,
  ],
  // finalizeRun removes these; a crash between two engines' transactions could leave one.
  [
    "jobs",
    `DELETE FROM jobs WHERE id = ANY(ARRAY(
       SELECT j.id FROM runs r JOIN jobs j ON j.run_id = r.id
        WHERE r.status ${ENDED} AND r.ended_at < $1 LIMIT $2))`,
  ],
  [
    "pauses",
    `DELETE FROM pauses WHERE id = ANY(ARRAY(
       SELECT p.id FROM runs r JOIN pauses p ON p.run_id = r.id
        WHERE r.status ${ENDED} AND r.ended_at < $1 LIMIT $2))`,
  ],
  // SKIP LOCKED: a run row someone holds (a late answer being dropped) waits for the next batch.
  [
    "runs",
    `DELETE FROM runs WHERE id = ANY(ARRAY(
       SELECT id FROM runs WHERE status ${ENDED} AND ended_at < $1
        ORDER BY ended_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
  ],
  // Any run still stored keeps its triggering event (a running one needs it; a kept ended one links to it).
  [
    "events",
    `DELETE FROM events WHERE id = ANY(ARRAY(
       SELECT e.id FROM events e
        WHERE e.received_at < $1 AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.event_internal_id = e.id)
        ORDER BY e.received_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
  ],
];

/** Dedupe ids and idempotency keys past both their own window and the retention age. */
const KEY_STATEMENTS: Array<[PurgeKind, string]> = [
  ["event_ids", `DELETE FROM event_ids WHERE event_id = ANY(ARRAY(SELECT event_id FROM event_ids WHERE received_at < $1 LIMIT $2))`],
  ["idempotency_keys", `DELETE FROM fn_keys WHERE ctid = ANY(ARRAY(SELECT ctid FROM fn_keys WHERE expires_at < $1 LIMIT $2))`],
];

const purged = new WeakMap<Core, PurgeCounts>();

export function emptyCounts(): PurgeCounts {
  return Object.fromEntries(PURGE_KINDS.map((kind) => [kind, 0])) as PurgeCounts;
}

/** Rows this engine purged since it started, by kind (the metric). */
export function purgedTotals(core: Core): PurgeCounts {
  return purged.get(core) ?? emptyCounts();
}

/**
 * One retention pass at engine time `now`: deletes batch after batch until
 * nothing older than the cutoff is left. Returns what it deleted. A pass
 * already running on another engine of this schema makes this one return at
 * once with nothing deleted (the advisory lock is per batch, so a crashed
 * engine never blocks the others).
 */
export async function purgeOnce(core: Core, options: { retentionMs: number; batchSize: number }): Promise<PurgeCounts> {
  const counts = emptyCounts();
  const pass = { started: performance.now(), batches: 0 };
  const now = core.clock.now();
  const cutoff = new Date(now - options.retentionMs);
  // Dedupe ids and idempotency keys only matter inside their windows; keep them at least as long as the runs.
  const keyCutoff = new Date(Math.min(now - options.retentionMs, now - core.options.eventDedupeWindowMs));
  const lockKey = `inngest-local-engine:purge:${core.options.schema}`;
  for (const [kind, sql, at] of [
    ...STATEMENTS.map(([k, s]) => [k, s, cutoff] as const),
    ...KEY_STATEMENTS.map(([k, s]) => [k, s, keyCutoff] as const),
  ]) {
    for (;;) {
      if (core.stopping) return finish(core, counts, pass, cutoff);
      const deleted = await transaction(core, async (tx) => {
        const { rows } = await tx.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok", [lockKey]);
        if (!rows[0]?.ok) return -1;
        return (await tx.query(sql, [at, options.batchSize])).rowCount ?? 0;
      });
      if (deleted < 0) return finish(core, counts, pass, cutoff);
      pass.batches += 1;
      counts[kind] += deleted;
      if (deleted < options.batchSize) break;
    }
  }
  return finish(core, counts, pass, cutoff);
}

function finish(core: Core, counts: PurgeCounts, pass: { started: number; batches: number }, cutoff: Date): PurgeCounts {
  let totals = purged.get(core);
  if (!totals) purged.set(core, (totals = emptyCounts()));
  for (const kind of PURGE_KINDS) totals[kind] += counts[kind];
  const total = PURGE_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
  // Counts only: never ids of what went, let alone payloads.
  if (total > 0)
    core.log.info("retention purged old runs and events", {
      olderThan: cutoff.toISOString(),
      ...counts,
      batches: pass.batches,
      ms: Math.round(performance.now() - pass.started),
    });
  else core.log.debug("retention: nothing to purge", { olderThan: cutoff.toISOString() });
  return counts;
}

/** Runs a pass now and then every `intervalMs`; passes never overlap. Returns a stop function. */
export function startRetention(core: Core, options: { retentionMs: number; intervalMs: number; batchSize: number }): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    current = purgeOnce(core, options)
      .catch((error: unknown) => {
        if (!core.stopping) core.log.warn("retention pass failed; will try again", { error: errorMessage(error) });
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, options.intervalMs);
      });
  };
  pass();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
