import type { Tx } from "../db";
import { getPath, indexValue, pauseIndexEntry } from "../expressions";
import { ulid } from "../ids";
import type { EventPayload, PauseRow, RunRow } from "../types";

export interface NewPause {
  run: RunRow;
  kind: PauseRow["kind"];
  eventName: string;
  expression: string | null;
  stepId?: string | null;
  stepName?: string | null;
  expiresAt: number;
  race?: boolean;
  /** An exact key (invoke correlation); otherwise derived from the expression. */
  match?: { path: string; value: string };
}

/**
 * Stores a pause (at most one per step) under its match key when the expression has an equality
 * `async.<path> == event.<path>` (or a literal): the value is computed now,
 * from the run's triggering event, so an incoming event is matched by index.
 */
export async function insertPause(tx: Tx, pause: NewPause): Promise<PauseRow | undefined> {
  let matchPath: string | null = null;
  let matchValue: string | null = null;
  if (pause.match) {
    matchPath = pause.match.path;
    matchValue = pause.match.value;
  } else {
    const entry = pauseIndexEntry(pause.expression, pause.run.event);
    matchPath = entry?.path ?? null;
    matchValue = entry?.value ?? null;
  }
  if (matchPath) {
    await tx.query("INSERT INTO pause_paths (event_name, match_path) VALUES ($1, $2) ON CONFLICT DO NOTHING", [pause.eventName, matchPath]);
  }
  const { rows } = await tx.query<PauseRow>(
    `INSERT INTO pauses (id, run_id, kind, step_id, step_name, event_name, expression, match_path, match_value, race, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (run_id, step_id) WHERE step_id IS NOT NULL DO NOTHING
     RETURNING *`,
    [
      ulid(tx.now),
      pause.run.id,
      pause.kind,
      pause.stepId ?? null,
      pause.stepName ?? null,
      pause.eventName,
      pause.expression,
      matchPath,
      matchValue,
      pause.race ?? false,
      new Date(pause.expiresAt),
      new Date(tx.now),
    ],
  );
  return rows[0]; // undefined: this step already has its pause
}

export type PauseCandidate = PauseRow & { run_event: EventPayload };

/** $1 event name, $2 engine now, $3 match paths, $4 the event's values at those paths. */
export const PAUSE_CANDIDATES_SQL = `SELECT p.*, r.event AS run_event FROM (
        SELECT * FROM pauses WHERE event_name = $1 AND match_path IS NULL AND expires_at > $2
        UNION ALL
        SELECT p.* FROM unnest($3::text[], $4::text[]) AS k(path, value)
          JOIN pauses p ON p.event_name = $1 AND p.match_path = k.path AND p.match_value = k.value
         WHERE p.expires_at > $2
      ) p
      JOIN runs r ON r.id = p.run_id AND r.status = 'running'
      ORDER BY p.created_at, p.id`;

/**
 * Pauses an incoming event may satisfy, found by index: for each match path
 * known for this event name (`paths`, from pause_paths), the pauses whose pre-computed value equals the
 * event's value at that path; plus the pauses that have no match key.
 */
export async function findPauseCandidates(tx: Tx, event: EventPayload, paths: string[]): Promise<PauseCandidate[]> {
  const keyPaths: string[] = [];
  const keyValues: string[] = [];
  for (const match_path of paths) {
    const value = indexValue(getPath(event, match_path));
    if (value !== undefined) {
      keyPaths.push(match_path);
      keyValues.push(value);
    }
  }
  const { rows } = await tx.prepared<PauseCandidate>("pause_candidates", PAUSE_CANDIDATES_SQL, [
    event.name,
    new Date(tx.now),
    keyPaths,
    keyValues,
  ]);
  return rows;
}

/** Removes the pause; false if another transaction consumed it first. */
export async function consumePause(tx: Tx, pauseId: string): Promise<boolean> {
  const { rowCount } = await tx.query("DELETE FROM pauses WHERE id = $1", [pauseId]);
  return Boolean(rowCount);
}

export async function consumePauseOfStep(tx: Tx, runId: string, stepId: string, kind: PauseRow["kind"]): Promise<boolean> {
  const { rowCount } = await tx.query("DELETE FROM pauses WHERE run_id = $1 AND step_id = $2 AND kind = $3", [runId, stepId, kind]);
  return Boolean(rowCount);
}

export async function deletePausesOfRun(tx: Tx, runId: string): Promise<void> {
  await tx.query("DELETE FROM pauses WHERE run_id = $1", [runId]);
}
