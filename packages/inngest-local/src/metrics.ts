// GET /metrics: the engine's own Prometheus metrics, in the text exposition
// format written by hand (the package has no dependency for it). The gauges
// are read from the engine's tables when scraped, so every engine on one
// schema reports the same backlog; the step histogram is this engine's own
// calls to the app, measured in the executor. Labels: run statuses and
// function ids, never run or event ids.
import type { Core } from "./core";
import { PURGE_KINDS, purgedTotals } from "./retention";
import { RUN_STATUSES } from "./types";

/** A due job not started this long after its time counts as overdue (the loop polls every 250 ms by default). */
export const OVERDUE_AFTER_MS = 60_000;

/** Seconds; a call to the app runs one step (or discovers the next). */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type Series = { buckets: number[]; sum: number; count: number };
const stepDurations = new WeakMap<Core, Map<string, Series>>();

/** Records one call to the app (its wall time) for `functionId`'s step latency. */
export function observeStep(core: Core, functionId: string, durationMs: number): void {
  let byFunction = stepDurations.get(core);
  if (!byFunction) stepDurations.set(core, (byFunction = new Map()));
  let series = byFunction.get(functionId);
  if (!series) byFunction.set(functionId, (series = { buckets: STEP_BUCKETS.map(() => 0), sum: 0, count: 0 }));
  const seconds = durationMs / 1000;
  STEP_BUCKETS.forEach((bound, index) => {
    if (seconds <= bound) series.buckets[index]! += 1;
  });
  series.sum += seconds;
  series.count += 1;
}

/** The exposition text: one query for the gauges, the histogram from memory. */
export async function metricsText(core: Core): Promise<string> {
  const now = core.clock.now();
  const { rows } = await core.pool.query<{ kind: string; label: string | null; value: string }>(
    `SELECT 'runs' AS kind, status AS label, count(*)::text AS value FROM runs GROUP BY status
     UNION ALL
     SELECT 'due', NULL, count(*)::text FROM jobs
      WHERE run_at <= to_timestamp($1 / 1000.0) AND (locked_until IS NULL OR locked_until < now())
     UNION ALL
     SELECT 'overdue', NULL, count(*)::text FROM jobs
      WHERE run_at <= to_timestamp($2 / 1000.0) AND (locked_until IS NULL OR locked_until < now())
     UNION ALL
     SELECT 'waiting', NULL, count(DISTINCT p.run_id)::text FROM pauses p JOIN runs r ON r.id = p.run_id
      WHERE r.status = 'running' AND p.kind <> 'cancel'`,
    [now, now - OVERDUE_AFTER_MS],
  );
  const value = (kind: string) => Number(rows.find((row) => row.kind === kind)?.value ?? 0);
  const runs = new Map<string, number>(RUN_STATUSES.map((status) => [status, 0]));
  for (const row of rows) if (row.kind === "runs" && row.label !== null) runs.set(row.label, Number(row.value));

  const lines: string[] = [];
  const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  family("inngest_local_runs", "gauge", "Runs by status");
  for (const [status, count] of runs) lines.push(`inngest_local_runs{status="${escape(status)}"} ${count}`);
  family("inngest_local_jobs_due", "gauge", "Jobs (calls to the app, timers, crons) whose time has come and that no engine is running");
  lines.push(`inngest_local_jobs_due ${value("due")}`);
  family("inngest_local_jobs_overdue", "gauge", `Due jobs whose time passed more than ${OVERDUE_AFTER_MS / 1000} s ago (engine time)`);
  lines.push(`inngest_local_jobs_overdue ${value("overdue")}`);
  family("inngest_local_waiting_runs", "gauge", "Running runs waiting for an event (waitForEvent or invoke)");
  lines.push(`inngest_local_waiting_runs ${value("waiting")}`);

  family("inngest_local_purged_total", "counter", "Rows deleted by this engine's retention passes, by kind");
  const purged = purgedTotals(core);
  for (const kind of PURGE_KINDS) lines.push(`inngest_local_purged_total{kind="${kind}"} ${purged[kind]}`);

  family(
    "inngest_local_step_duration_seconds",
    "histogram",
    "Time of one call to the app (a step or the discovery of the next), by function",
  );
  for (const [functionId, series] of stepDurations.get(core) ?? []) {
    const fn = `function="${escape(functionId)}"`;
    STEP_BUCKETS.forEach((bound, index) =>
      lines.push(`inngest_local_step_duration_seconds_bucket{${fn},le="${bound}"} ${series.buckets[index]}`),
    );
    lines.push(`inngest_local_step_duration_seconds_bucket{${fn},le="+Inf"} ${series.count}`);
    lines.push(`inngest_local_step_duration_seconds_sum{${fn}} ${series.sum}`);
    lines.push(`inngest_local_step_duration_seconds_count{${fn}} ${series.count}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A label value in the exposition format: backslash, double quote and newline escaped. */
function escape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
