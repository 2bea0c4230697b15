import type { Tx } from "../db";
import { json } from "../db";
import type { EventPayload, RunRow, RunStatus, StepResult } from "../types";

export async function insertRun(
  tx: Tx,
  run: {
    id: string;
    functionId: string;
    event: EventPayload;
    eventInternalId: string | null;
    correlationId: string | null;
    concurrencyKeys: string[];
    concurrencyLimits: number[];
  },
): Promise<RunRow> {
  const { rows } = await tx.query<RunRow>(
    `INSERT INTO runs (id, function_id, status, event_internal_id, event_name, event, correlation_id, concurrency_keys, concurrency_limits, started_at)
     VALUES ($1, $2, 'running', $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [
      run.id,
      run.functionId,
      run.eventInternalId,
      run.event.name,
      json(run.event),
      run.correlationId,
      run.concurrencyKeys,
      run.concurrencyLimits,
      new Date(tx.now),
    ],
  );
  return rows[0]!;
}

/** Locks the run row for the rest of the transaction: every change to a run goes through here. */
export async function lockRun(tx: Tx, runId: string): Promise<RunRow | undefined> {
  const { rows } = await tx.query<RunRow>("SELECT * FROM runs WHERE id = $1 FOR UPDATE", [runId]);
  return rows[0];
}

export async function saveRunState(tx: Tx, run: RunRow): Promise<void> {
  await tx.query("UPDATE runs SET request_version = $2, force_step_plan = $3, pending = $4, stack_size = $5 WHERE id = $1", [
    run.id,
    run.request_version,
    run.force_step_plan,
    run.pending,
    run.stack_size,
  ]);
}

export async function setRunEnded(tx: Tx, runId: string, status: RunStatus, output: unknown, error: unknown): Promise<void> {
  await tx.query("UPDATE runs SET status = $2, output = $3, error = $4, ended_at = $5, pending = '{}' WHERE id = $1", [
    runId,
    status,
    output === undefined ? null : json(output),
    error === undefined ? null : json(error),
    new Date(tx.now),
  ]);
}

/** Stores a memoized step at the next stack position; false if the step already had a result. */
export async function insertStep(
  tx: Tx,
  run: RunRow,
  step: { stepId: string; op: string; name?: string | null; kind?: string | null; input?: unknown; result: StepResult; attempt: number },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO run_steps (run_id, step_id, position, op, name, kind, input, result, attempt, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (run_id, step_id) DO NOTHING`,
    [
      run.id,
      step.stepId,
      run.stack_size,
      step.op,
      step.name ?? null,
      step.kind ?? null,
      step.input === undefined ? null : json(step.input),
      json(step.result),
      step.attempt,
      new Date(tx.now),
    ],
  );
  return Boolean(rowCount);
}

export async function hasStep(tx: Tx, runId: string, stepId: string): Promise<boolean> {
  const { rowCount } = await tx.query("SELECT 1 FROM run_steps WHERE run_id = $1 AND step_id = $2", [runId, stepId]);
  return Boolean(rowCount);
}

export interface HistoryEntry {
  kind: string;
  stepId?: string | null;
  stepName?: string | null;
  attempt?: number | null;
  durationMs?: number | null;
  worker?: string | null;
  detail?: unknown;
}

export async function addHistory(tx: Tx, runId: string, entry: HistoryEntry): Promise<void> {
  await tx.query(
    `INSERT INTO run_history (run_id, at, kind, step_id, step_name, attempt, duration_ms, worker, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      runId,
      new Date(tx.now),
      entry.kind,
      entry.stepId ?? null,
      entry.stepName ?? null,
      entry.attempt ?? null,
      entry.durationMs === undefined || entry.durationMs === null ? null : Math.round(entry.durationMs),
      entry.worker ?? null,
      entry.detail === undefined ? null : json(entry.detail),
    ],
  );
}
