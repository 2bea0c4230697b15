// Read-only queries behind the JSON API and the web page.
import type { RunHistoryEntry, RunSummary, RunWaitingFor, StepView } from "../api-types";
import type { Pool } from "../db";
import { attemptsOf, type EventPayload, type FunctionConfig, type StepResult } from "../types";

interface RunSummaryRow {
  id: string;
  function_id: string;
  slug: string | null;
  fn_name: string | null;
  status: string;
  event_name: string;
  event_internal_id: string | null;
  correlation_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  output: unknown;
  error: unknown;
}

const RUN_COLUMNS = `r.id, r.function_id, f.slug, f.name AS fn_name, r.status, r.event_name, r.event_internal_id, r.correlation_id,
  r.started_at, r.ended_at, r.output, r.error`;

function toSummary(row: RunSummaryRow): RunSummary {
  return {
    id: row.id,
    functionId: row.function_id,
    functionSlug: row.slug,
    functionName: row.fn_name,
    status: row.status,
    eventName: row.event_name,
    eventId: row.event_internal_id,
    correlationId: row.correlation_id,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at ? row.ended_at.toISOString() : null,
    output: row.output,
    error: row.error,
  };
}

/**
 * Runs marked running with nothing that could ever move them: no job (call,
 * sleep, timeout, retry) and no pause (wait, invoke). Every change is one
 * transaction, so a committed run in this state is stranded, a bug to report.
 */
export async function listStrandedRuns(pool: Pool, limit: number): Promise<RunSummary[]> {
  const { rows } = await pool.query<RunSummaryRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN functions f ON f.id = r.function_id
      WHERE r.status = 'running'
        AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id)
        AND NOT EXISTS (SELECT 1 FROM pauses p WHERE p.run_id = r.id)
      ORDER BY r.started_at, r.id LIMIT $1`,
    [limit],
  );
  return rows.map(toSummary);
}

export interface RunFilter {
  /** Composite id or slug. */
  fn?: string;
  /** A status (running, completed, failed, cancelled) or a state of a running run (retrying, waiting, sleeping). */
  status?: string;
  event?: string;
  /** Path inside the triggering event (["data", "requestId"]) and the text its value must have. */
  data?: { path: string[]; value: string };
  limit: number;
}

/**
 * Newest first. The derived states: retrying = a call due again after a failed
 * attempt; waiting = a wait or invoke pause; sleeping = a sleep timer. The data
 * filter compares the value's text (`#>>`), so 42, true and "x" are typed as shown.
 */
export async function listRuns(pool: Pool, filter: RunFilter): Promise<RunSummary[]> {
  const status = filter.status?.toLowerCase() ?? null;
  const { rows } = await pool.query<RunSummaryRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN functions f ON f.id = r.function_id
      WHERE ($1::text IS NULL OR r.function_id = $1 OR f.slug = $1)
        AND ($2::text IS NULL OR r.status = $2
             OR (r.status = 'running' AND (
                  ($2 = 'retrying' AND EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id AND j.kind = 'call' AND j.attempt > 0))
               OR ($2 = 'waiting' AND EXISTS (SELECT 1 FROM pauses p WHERE p.run_id = r.id AND p.kind IN ('wait', 'invoke')))
               OR ($2 = 'sleeping' AND EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id AND j.kind = 'sleep')))))
        AND ($3::text IS NULL OR r.event_name = $3)
        AND ($5::text[] IS NULL OR r.event #>> $5::text[] = $6)
      ORDER BY r.started_at DESC, r.id DESC LIMIT $4`,
    [filter.fn ?? null, status, filter.event ?? null, filter.limit, filter.data?.path ?? null, filter.data?.value ?? null],
  );
  return rows.map(toSummary);
}

/** History kinds of an attempt that failed and will be tried again (the run page reads them from its history). */
export const RETRY_ERROR_KINDS = ["call.error.retrying", "step.error.retrying"];

/** What the run list needs to say what each running run is doing (see inspect.ts). */
export interface RunStateRows {
  jobs: RunWaitingFor["jobs"];
  pauses: RunWaitingFor["pauses"];
  maxAttempts: number;
  lastRetryError?: { stepName: string | null; error: unknown };
}

/** Jobs, pauses, attempts allowed and the latest retried error of each of these runs, in three queries. */
export async function runStateRows(pool: Pool, runIds: string[]): Promise<Map<string, RunStateRows>> {
  const result = new Map<string, RunStateRows>();
  if (runIds.length === 0) return result;
  const [runs, jobs, pauses, errors] = await Promise.all([
    pool.query<{ id: string; config: FunctionConfig | null }>(
      "SELECT r.id, f.config FROM runs r LEFT JOIN functions f ON f.id = r.function_id WHERE r.id = ANY($1)",
      [runIds],
    ),
    pool.query<JobStateRow & { run_id: string }>(
      "SELECT run_id, kind, step_id, payload, attempt, run_at, locked_until FROM jobs WHERE run_id = ANY($1) ORDER BY run_at, id",
      [runIds],
    ),
    pool.query<PauseStateRow & { run_id: string }>(
      "SELECT * FROM pauses WHERE run_id = ANY($1) AND kind <> 'cancel' ORDER BY created_at, id",
      [runIds],
    ),
    pool.query<{ run_id: string; step_name: string | null; detail: { error?: unknown } | null }>(
      `SELECT DISTINCT ON (run_id) run_id, step_name, detail FROM run_history
        WHERE run_id = ANY($1) AND kind = ANY($2) ORDER BY run_id, id DESC`,
      [runIds, RETRY_ERROR_KINDS],
    ),
  ]);
  for (const run of runs.rows) result.set(run.id, { jobs: [], pauses: [], maxAttempts: attemptsOf(run.config) });
  for (const job of jobs.rows) result.get(job.run_id)?.jobs.push(toJobView(job));
  for (const pause of pauses.rows) result.get(pause.run_id)?.pauses.push(toPauseView(pause));
  for (const error of errors.rows) {
    const entry = result.get(error.run_id);
    if (entry) entry.lastRetryError = { stepName: error.step_name, error: error.detail?.error };
  }
  return result;
}

interface JobStateRow {
  kind: string;
  step_id: string | null;
  payload: Record<string, unknown>;
  attempt: number;
  run_at: Date;
  locked_until: Date | null;
}

interface PauseStateRow {
  kind: string;
  step_id: string | null;
  step_name: string | null;
  event_name: string;
  expression: string | null;
  expires_at: Date;
}

function toJobView(j: JobStateRow): RunWaitingFor["jobs"][number] {
  return {
    kind: j.kind,
    stepId: j.step_id,
    stepName: typeof j.payload?.["name"] === "string" ? j.payload["name"] : null,
    attempt: j.attempt,
    runAt: j.run_at.toISOString(),
    running: j.locked_until !== null && j.locked_until.getTime() > Date.now(),
  };
}

function toPauseView(p: PauseStateRow): RunWaitingFor["pauses"][number] {
  return {
    kind: p.kind,
    stepId: p.step_id,
    stepName: p.step_name,
    event: p.event_name,
    expression: p.expression,
    expiresAt: p.expires_at.toISOString(),
  };
}

export interface RunDetail {
  run: RunSummary & { event: EventPayload };
  /** Attempts each call of this run may take (the function's retries + 1). */
  maxAttempts: number;
  steps: StepView[];
  waitingFor: RunWaitingFor;
  history: RunHistoryEntry[];
}

export async function getRunDetail(pool: Pool, id: string): Promise<RunDetail | undefined> {
  const { rows } = await pool.query<RunSummaryRow & { event: EventPayload; config: FunctionConfig | null }>(
    `SELECT ${RUN_COLUMNS}, r.event, f.config FROM runs r LEFT JOIN functions f ON f.id = r.function_id WHERE r.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  const [steps, pauses, jobs, history] = await Promise.all([
    pool.query<{
      step_id: string;
      name: string | null;
      op: string;
      kind: string | null;
      position: number;
      attempt: number;
      input: unknown;
      result: StepResult;
      created_at: Date;
    }>("SELECT * FROM run_steps WHERE run_id = $1 ORDER BY position", [id]),
    pool.query<PauseStateRow>("SELECT * FROM pauses WHERE run_id = $1 AND kind <> 'cancel' ORDER BY created_at", [id]),
    pool.query<JobStateRow>("SELECT kind, step_id, payload, attempt, run_at, locked_until FROM jobs WHERE run_id = $1 ORDER BY run_at", [
      id,
    ]),
    pool.query<{
      at: Date;
      kind: string;
      step_id: string | null;
      step_name: string | null;
      attempt: number | null;
      duration_ms: number | null;
      detail: unknown;
    }>("SELECT * FROM run_history WHERE run_id = $1 ORDER BY id", [id]),
  ]);
  return {
    run: { ...toSummary(row), event: row.event },
    maxAttempts: attemptsOf(row.config),
    steps: steps.rows.map((s) => ({
      id: s.step_id,
      name: s.name,
      op: s.op,
      kind: s.kind,
      position: s.position,
      attempt: s.attempt,
      input: s.input,
      output: "data" in s.result ? s.result.data : undefined,
      error: "error" in s.result ? s.result.error : undefined,
      at: s.created_at.toISOString(),
    })),
    waitingFor: {
      pauses: pauses.rows.map(toPauseView),
      jobs: jobs.rows.map(toJobView),
    },
    history: history.rows.map((h) => ({
      at: h.at.toISOString(),
      kind: h.kind,
      stepId: h.step_id,
      stepName: h.step_name,
      attempt: h.attempt,
      durationMs: h.duration_ms,
      detail: h.detail,
    })),
  };
}

export interface EventView {
  id: string;
  eventId: string;
  name: string;
  receivedAt: string;
  deduplicated: boolean;
  internal: boolean;
  payload: EventPayload;
}

interface EventRow {
  id: string;
  event_id: string;
  name: string;
  payload: EventPayload;
  received_at: Date;
  deduplicated: boolean;
  internal: boolean;
}

function toEventView(row: EventRow): EventView {
  return {
    id: row.id,
    eventId: row.event_id,
    name: row.name,
    receivedAt: row.received_at.toISOString(),
    deduplicated: row.deduplicated,
    internal: row.internal,
    payload: row.payload,
  };
}

export async function listEvents(pool: Pool, filter: { name?: string; limit: number; includeInternal: boolean }): Promise<EventView[]> {
  const { rows } = await pool.query<EventRow>(
    `SELECT * FROM events WHERE ($1::text IS NULL OR name = $1) AND ($2 OR NOT internal)
      ORDER BY received_at DESC, id DESC LIMIT $3`,
    [filter.name ?? null, filter.includeInternal, filter.limit],
  );
  return rows.map(toEventView);
}

/** By internal id, or else the latest event with that payload id. */
export async function getEvent(pool: Pool, id: string): Promise<EventView | undefined> {
  const { rows } = await pool.query<EventRow>(
    "SELECT * FROM events WHERE id = $1 OR event_id = $1 ORDER BY (id = $1) DESC, received_at DESC LIMIT 1",
    [id],
  );
  return rows[0] ? toEventView(rows[0]) : undefined;
}

export async function runsOfEvent(pool: Pool, internalId: string): Promise<RunSummary[]> {
  const { rows } = await pool.query<RunSummaryRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN functions f ON f.id = r.function_id WHERE r.event_internal_id = $1 ORDER BY r.started_at, r.id`,
    [internalId],
  );
  return rows.map(toSummary);
}

export interface FunctionView {
  id: string;
  appId: string;
  slug: string;
  name: string;
  url: string;
  deleted: boolean;
  triggers: unknown;
  config: FunctionConfig;
}

type FunctionDbRow = { id: string; app_id: string; slug: string; name: string; url: string; deleted: boolean; config: FunctionConfig };

const functionView = (r: FunctionDbRow): FunctionView => ({
  id: r.id,
  appId: r.app_id,
  slug: r.slug,
  name: r.name,
  url: r.url,
  deleted: r.deleted,
  triggers: r.config.triggers ?? [],
  config: r.config,
});

export async function listFunctions(pool: Pool): Promise<FunctionView[]> {
  const { rows } = await pool.query<FunctionDbRow>("SELECT * FROM functions ORDER BY app_id, id");
  return rows.map(functionView);
}

/** One function by its composite id or its slug (the id wins when both match). */
export async function findFunction(pool: Pool, idOrSlug: string): Promise<FunctionView | null> {
  const { rows } = await pool.query<FunctionDbRow>("SELECT * FROM functions WHERE id = $1 OR slug = $1 ORDER BY id = $1 DESC, id LIMIT 1", [
    idOrSlug,
  ]);
  return rows[0] ? functionView(rows[0]) : null;
}

export async function listApps(pool: Pool): Promise<Array<{ id: string; url: string; syncedAt: string }>> {
  const { rows } = await pool.query<{ id: string; url: string; synced_at: Date }>("SELECT * FROM apps ORDER BY id");
  return rows.map((r) => ({ id: r.id, url: r.url, syncedAt: r.synced_at.toISOString() }));
}
