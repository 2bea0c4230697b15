// The life of a run: start, memoize a step and continue, finish. Every
// function here runs inside a transaction that holds the run's row lock.
import type { Core } from "./core";
import type { Tx } from "./db";
import { resolveTime } from "./duration";
import { CANCELLED_EVENT, FAILED_EVENT, FINISHED_EVENT } from "./events";
import { evaluateKey } from "./expressions";
import { ulid } from "./ids";
import { deleteJobsOfRun, enqueueJob } from "./store/jobs";
import { deletePausesOfRun, insertPause } from "./store/pauses";
import { addHistory, insertRun, insertStep, saveRunState, setRunEnded } from "./store/runs";
import {
  attemptsOf,
  type ConcurrencyOption,
  type EventPayload,
  type FunctionRow,
  type RunRow,
  type RunStatus,
  type StepResult,
} from "./types";

const CANCEL_DEFAULT_TIMEOUT_MS = 365 * 24 * 3_600_000;
const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;

export function maxAttempts(fn: FunctionRow): number {
  return attemptsOf(fn.config);
}

function concurrencyOptions(fn: FunctionRow): ConcurrencyOption[] {
  const option = fn.config.concurrency;
  if (option === undefined || option === null) return [];
  if (typeof option === "number") return option > 0 ? [{ limit: option }] : [];
  return (Array.isArray(option) ? option : [option]).filter((c) => typeof c?.limit === "number" && c.limit > 0);
}

/** Starts a run of `fn` for `event`, unless its idempotency key was used in the last 24 h. */
export async function startRun(
  core: Core,
  tx: Tx,
  fn: FunctionRow,
  event: EventPayload,
  eventInternalId: string | null,
  options: { correlationId?: string | null } = {},
): Promise<RunRow | undefined> {
  const vars = { event };
  if (fn.config.idempotency) {
    const key = evaluateKey(fn.config.idempotency, vars);
    if (key !== undefined) {
      const { rowCount } = await tx.query(
        `INSERT INTO fn_keys (function_id, kind, key, expires_at) VALUES ($1, 'idempotency', $2, $3)
         ON CONFLICT (function_id, kind, key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE fn_keys.expires_at <= $4`,
        [fn.id, key, new Date(tx.now + IDEMPOTENCY_WINDOW_MS), new Date(tx.now)],
      );
      if (!rowCount) {
        core.log.info("run skipped: idempotency key already used", { function: fn.id, event: event.name, eventId: event.id });
        return undefined;
      }
    }
  }

  const concurrencyKeys: string[] = [];
  const concurrencyLimits: number[] = [];
  for (const c of concurrencyOptions(fn)) {
    const scope = c.scope ?? "fn";
    let key = scope === "fn" ? `fn:${fn.id}` : `${scope}:`;
    if (c.key) {
      const value = evaluateKey(c.key, vars);
      key += `:key:${value ?? ""}`;
    } else if (scope !== "fn") {
      key += `fn:${fn.id}`;
    }
    concurrencyKeys.push(key);
    concurrencyLimits.push(Math.floor(c.limit));
  }

  const run = await insertRun(tx, {
    id: ulid(tx.now),
    functionId: fn.id,
    event,
    eventInternalId,
    correlationId: options.correlationId ?? null,
    concurrencyKeys,
    concurrencyLimits,
  });
  await addHistory(tx, run.id, { kind: "run.started", detail: { event: event.name, eventId: event.id } });

  for (const cancel of fn.config.cancel ?? []) {
    if (!cancel?.event) continue;
    const expiresAt = resolveTime(cancel.timeout, tx.now) ?? tx.now + CANCEL_DEFAULT_TIMEOUT_MS;
    await insertPause(tx, { run, kind: "cancel", eventName: cancel.event, expression: cancel.if ?? null, expiresAt });
  }

  await enqueueJob(tx, { kind: "call", run, stepId: "step", runAt: tx.now, dedupeKey: `${run.id}:start` });
  tx.afterCommit.push(() => core.log.info("run started", { run: run.id, function: fn.id, event: event.name, eventId: event.id }));
  return run;
}

/** Schedules a discovery call (stepId=step) after `afterStepId` completed. */
export async function enqueueDiscovery(tx: Tx, run: RunRow, afterStepId: string): Promise<void> {
  await enqueueJob(tx, { kind: "call", run, stepId: "step", runAt: tx.now, dedupeKey: `${run.id}:discover:${afterStepId}` });
}

/**
 * Memoizes a step result at the end of the stack and continues the run:
 * discovery is scheduled once no parallel sibling is pending (version 2
 * fan-in), or at once for race-mode steps and version 1.
 */
export async function completeStep(
  tx: Tx,
  run: RunRow,
  step: {
    stepId: string;
    op: string;
    name?: string | null;
    kind?: string | null;
    input?: unknown;
    result: StepResult;
    attempt: number;
    race?: boolean;
  },
): Promise<boolean> {
  const inserted = await insertStep(tx, run, step);
  if (!inserted) return false; // duplicate result (race or v1 re-report): keep the first
  run.stack_size += 1;
  run.pending = run.pending.filter((id) => id !== step.stepId);
  if (run.pending.length === 0 || step.race) {
    if (run.force_step_plan && run.pending.length === 0 && run.request_version !== 1) {
      // Immediate execution comes back only once no other step of the run is
      // outstanding (a planned call, a sleep, a wait): otherwise a discovery
      // could run inline a step that also has its own planned call.
      const { rowCount } = await tx.query(
        "SELECT 1 FROM jobs WHERE run_id = $1 AND step_id IS NOT NULL AND step_id <> 'step' AND step_id <> $2 LIMIT 1",
        [run.id, step.stepId],
      );
      if (!rowCount) run.force_step_plan = false;
    }
    await enqueueDiscovery(tx, run, step.stepId);
  }
  await saveRunState(tx, run);
  return true;
}

/** Ends a run: stores the outcome, drops its jobs and pauses, emits the lifecycle events. */
export async function finalizeRun(
  core: Core,
  tx: Tx,
  run: RunRow,
  status: Exclude<RunStatus, "running">,
  outcome: { output?: unknown; error?: unknown },
): Promise<void> {
  if (run.status !== "running") return;
  run.status = status;
  await setRunEnded(tx, run.id, status, status === "completed" ? (outcome.output ?? null) : undefined, outcome.error);
  await deletePausesOfRun(tx, run.id);
  await deleteJobsOfRun(tx, run.id);
  await addHistory(tx, run.id, { kind: `run.${status}`, detail: status === "completed" ? undefined : { error: outcome.error } });

  const errorText = describeError(outcome.error);
  tx.afterCommit.push(() => {
    if (status === "completed") core.log.info("run completed", { run: run.id, function: run.function_id });
    else if (status === "failed") core.log.warn("run failed", { run: run.id, function: run.function_id, error: errorText });
    else core.log.info("run cancelled", { run: run.id, function: run.function_id });
  });

  const data: Record<string, unknown> = {
    function_id: run.function_id,
    run_id: run.id,
    event: run.event,
    events: [run.event],
    ...(status === "completed" ? { result: outcome.output ?? null } : { error: outcome.error ?? null }),
  };
  if (run.correlation_id) data["correlation_id"] = run.correlation_id;
  const events: Array<Record<string, unknown>> = [{ name: FINISHED_EVENT, data }];
  if (status === "failed") events.push({ name: FAILED_EVENT, data, id: `${run.id}-failed` });
  if (status === "cancelled") events.push({ name: CANCELLED_EVENT, data, id: `${run.id}-cancelled` });
  await core.emitLifecycle(tx, events);
}

/** "Name: message" of a serialized error, for logs (the message, never payload data). */
export function describeError(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === "string") return error.slice(0, 300);
  if (typeof error === "object") {
    const e = error as { name?: unknown; message?: unknown };
    const name = typeof e.name === "string" ? e.name : "Error";
    const message = typeof e.message === "string" ? e.message : "";
    return `${name}: ${message}`.slice(0, 300);
  }
  return String(error).slice(0, 300);
}
