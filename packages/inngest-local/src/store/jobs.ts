import type { Pool, Tx } from "../db";
import { json } from "../db";
import type { JobKind, JobRow, RunRow } from "../types";

export interface NewJob {
  kind: JobKind;
  runAt: number;
  dedupeKey: string;
  run?: Pick<RunRow, "id" | "function_id" | "concurrency_keys" | "concurrency_limits">;
  functionId?: string;
  stepId?: string;
  attempt?: number;
  payload?: Record<string, unknown>;
}

/** Schedules a job; a job with the same dedupe key already queued wins. Returns whether it was inserted. */
export async function enqueueJob(tx: Tx, job: NewJob): Promise<boolean> {
  const isCall = job.kind === "call";
  const result = await tx.query(
    `INSERT INTO jobs (run_id, function_id, kind, step_id, attempt, run_at, dedupe_key, payload, concurrency_keys, concurrency_limits)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      job.run?.id ?? null,
      job.run?.function_id ?? job.functionId ?? null,
      job.kind,
      job.stepId ?? null,
      job.attempt ?? 0,
      new Date(job.runAt),
      job.dedupeKey,
      json(job.payload ?? {}),
      isCall ? (job.run?.concurrency_keys ?? []) : [],
      isCall ? (job.run?.concurrency_limits ?? []) : [],
    ],
  );
  if (result.rowCount) tx.wake();
  return Boolean(result.rowCount);
}

export async function deleteJob(tx: Tx, id: string): Promise<void> {
  await tx.query("DELETE FROM jobs WHERE id = $1", [id]);
}

export async function deleteJobByKey(tx: Tx, dedupeKey: string): Promise<void> {
  await tx.query("DELETE FROM jobs WHERE dedupe_key = $1", [dedupeKey]);
}

export async function deleteJobsOfRun(tx: Tx, runId: string): Promise<void> {
  await tx.query("DELETE FROM jobs WHERE run_id = $1", [runId]);
}

/** Whether this worker still holds the job (a lost lease means someone else has it). */
export async function ownsJob(tx: Tx, job: JobRow, workerId: string): Promise<boolean> {
  const { rowCount } = await tx.query("SELECT 1 FROM jobs WHERE id = $1 AND locked_by = $2 FOR UPDATE", [job.id, workerId]);
  return Boolean(rowCount);
}

/** Puts the job back with attempt + 1, due at `runAt` (engine time). */
export async function retryJob(tx: Tx, job: JobRow, runAt: number): Promise<void> {
  await tx.query(
    `UPDATE jobs SET attempt = attempt + 1, run_at = $2, locked_by = NULL, locked_until = NULL, executing = false WHERE id = $1`,
    [job.id, new Date(runAt)],
  );
  tx.wake();
}

/** Puts the job back unchanged, due at `runAt`. */
export async function rescheduleJob(tx: Tx, job: JobRow, runAt: number, payload?: Record<string, unknown>): Promise<void> {
  await tx.query(
    `UPDATE jobs SET run_at = $2, locked_by = NULL, locked_until = NULL, executing = false, payload = COALESCE($3::json, payload) WHERE id = $1`,
    [job.id, new Date(runAt), payload ? json(payload) : null],
  );
  tx.wake();
}

/**
 * Claims up to `limit` due jobs for `workerId` with a lease on real (database)
 * time. SKIP LOCKED lets several engines claim side by side without waiting
 * on each other or taking the same job; an expired lease (crashed engine)
 * makes the job claimable again. Discovery calls of one run are serialized
 * (the SDK may run a new step inline during discovery, so two at once could
 * run it twice); planned steps of a run run in parallel.
 */
export async function claimJobs(pool: Pool, now: number, limit: number, leaseMs: number, workerId: string): Promise<JobRow[]> {
  const { rows } = await pool.query<JobRow>(
    `WITH due AS (
       SELECT id FROM jobs j
        WHERE run_at <= $1 AND (locked_until IS NULL OR locked_until < clock_timestamp())
          -- one discovery call per run at a time: only the oldest is claimable
          AND NOT (kind = 'call' AND step_id = 'step' AND EXISTS (
                SELECT 1 FROM jobs o WHERE o.run_id = j.run_id AND o.kind = 'call' AND o.step_id = 'step' AND o.id < j.id))
        ORDER BY run_at, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs j
        SET locked_by = $4, locked_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000), executing = false
       FROM due WHERE j.id = due.id
     RETURNING j.*`,
    [new Date(now), limit, leaseMs, workerId],
  );
  return rows.sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || Number(a.id) - Number(b.id));
}

/** The engine time of the next job due, if any. */
export async function nextDueAt(pool: Pool): Promise<number | undefined> {
  const { rows } = await pool.query<{ run_at: Date | null }>("SELECT min(run_at) AS run_at FROM jobs WHERE locked_until IS NULL");
  return rows[0]?.run_at?.getTime();
}

export async function renewLease(pool: Pool, jobId: string, workerId: string, leaseMs: number): Promise<void> {
  await pool.query(
    "UPDATE jobs SET locked_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000) WHERE id = $1 AND locked_by = $2",
    [jobId, workerId, leaseMs],
  );
}

/** Gives a claimed job back without counting an attempt (engine stopping, or waiting for capacity). */
export async function releaseJob(pool: Pool, jobId: string, workerId: string, runAt?: number): Promise<void> {
  await pool.query(
    `UPDATE jobs SET locked_by = NULL, locked_until = NULL, executing = false, run_at = COALESCE($3, run_at)
      WHERE id = $1 AND locked_by = $2`,
    [jobId, workerId, runAt === undefined ? null : new Date(runAt)],
  );
}

export async function releaseAllJobs(pool: Pool, workerId: string): Promise<void> {
  await pool.query("UPDATE jobs SET locked_by = NULL, locked_until = NULL, executing = false WHERE locked_by = $1", [workerId]);
}

/**
 * Concurrency gate: under an advisory lock per key, counts the calls already
 * executing with that key (with a live lease) and marks this one executing
 * if every key is below its limit.
 */
export async function acquireConcurrency(tx: Tx, job: JobRow): Promise<boolean> {
  const pairs = job.concurrency_keys.map((key, i) => ({ key, limit: job.concurrency_limits[i] ?? 1 }));
  pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key } of pairs) {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`inngest-local-engine:concurrency:${key}`]);
  }
  for (const { key, limit } of pairs) {
    const { rows } = await tx.query<{ n: string }>(
      `SELECT count(*) AS n FROM jobs
        WHERE executing AND concurrency_keys @> ARRAY[$1]::text[] AND locked_until > clock_timestamp() AND id <> $2`,
      [key, job.id],
    );
    if (Number(rows[0]?.n ?? 0) >= limit) return false;
  }
  await tx.query("UPDATE jobs SET executing = true WHERE id = $1", [job.id]);
  return true;
}
