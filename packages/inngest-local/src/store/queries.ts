// Read-only queries behind the JSON API and the web page.
import type { RunHistoryEntry, RunSummary, RunWaitingFor, StepView } from "../api-types";
import type { Pool } from "../db";
import type { EventPayload, StepResult } from "../types";

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

export async function listRuns(pool: Pool, filter: { fn?: string; status?: string; event?: string; limit: number }): Promise<RunSummary[]> {
  const { rows } = await pool.query<RunSummaryRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r LEFT JOIN functions f ON f.id = r.function_id
      WHERE ($1::text IS NULL OR r.function_id = $1 OR f.slug = $1)
        AND ($2::text IS NULL OR r.status = $2)
        AND ($3::text IS NULL OR r.event_name = $3)
      ORDER BY r.started_at DESC, r.id DESC LIMIT $4`,
    [filter.fn ?? null, filter.status?.toLowerCase() ?? null, filter.event ?? null, filter.limit],
  );
  return rows.map(toSummary);
}

export interface RunDetail {
  run: RunSummary & { event: EventPayload };
  steps: StepView[];
  waitingFor: RunWaitingFor;
  history: RunHistoryEntry[];
}

export async function getRunDetail(pool: Pool, id: string): Promise<RunDetail | undefined> {
  const { rows } = await pool.query<RunSummaryRow & { event: EventPayload }>(
    `SELECT ${RUN_COLUMNS}, r.event FROM runs r LEFT JOIN functions f ON f.id = r.function_id WHERE r.id = $1`,
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
    pool.query<{
      kind: string;
      step_id: string | null;
      step_name: string | null;
      event_name: string;
      expression: string | null;
      expires_at: Date;
    }>("SELECT * FROM pauses WHERE run_id = $1 AND kind <> 'cancel' ORDER BY created_at", [id]),
    pool.query<{
      kind: string;
      step_id: string | null;
      payload: Record<string, unknown>;
      attempt: number;
      run_at: Date;
      locked_until: Date | null;
    }>("SELECT kind, step_id, payload, attempt, run_at, locked_until FROM jobs WHERE run_id = $1 ORDER BY run_at", [id]),
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
      pauses: pauses.rows.map((p) => ({
        kind: p.kind,
        stepId: p.step_id,
        stepName: p.step_name,
        event: p.event_name,
        expression: p.expression,
        expiresAt: p.expires_at.toISOString(),
      })),
      jobs: jobs.rows.map((j) => ({
        kind: j.kind,
        stepId: j.step_id,
        stepName: typeof j.payload?.["name"] === "string" ? j.payload["name"] : null,
        attempt: j.attempt,
        runAt: j.run_at.toISOString(),
        running: j.locked_until !== null && j.locked_until.getTime() > Date.now(),
      })),
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

export async function listFunctions(
  pool: Pool,
): Promise<Array<{ id: string; appId: string; slug: string; name: string; url: string; deleted: boolean; triggers: unknown }>> {
  const { rows } = await pool.query<{
    id: string;
    app_id: string;
    slug: string;
    name: string;
    url: string;
    deleted: boolean;
    config: { triggers?: unknown };
  }>("SELECT * FROM functions ORDER BY app_id, id");
  return rows.map((r) => ({
    id: r.id,
    appId: r.app_id,
    slug: r.slug,
    name: r.name,
    url: r.url,
    deleted: r.deleted,
    triggers: r.config.triggers ?? [],
  }));
}

export async function listApps(pool: Pool): Promise<Array<{ id: string; url: string; syncedAt: string }>> {
  const { rows } = await pool.query<{ id: string; url: string; synced_at: Date }>("SELECT * FROM apps ORDER BY id");
  return rows.map((r) => ({ id: r.id, url: r.url, syncedAt: r.synced_at.toISOString() }));
}
