// Calls the app for a run (discovery or one planned step) and applies its
// answer. The HTTP call happens with no transaction open: the app calls back
// into the event API (step.sendEvent, step.invoke) while we wait for it.
import type { Core } from "./core";
import { transaction } from "./core";
import type { Tx } from "./db";
import { resolveTime } from "./duration";
import { FINISHED_EVENT, INVOKED_EVENT } from "./events";
import { ingestEvents } from "./ingest";
import { completeStep, describeError, finalizeRun, maxAttempts } from "./lifecycle";
import { getFunction } from "./store/functions";
import { deleteJob, enqueueJob, retryJob } from "./store/jobs";
import { requestBodyText, signatureHeader } from "./signing";
import { insertPause } from "./store/pauses";
import { observeStep } from "./metrics";
import { addHistory, hasStep, saveRunState } from "./store/runs";
import type { FunctionRow, JobRow, OutgoingOp, RunRow, SerializedError, StepResult } from "./types";

const LONG_TIMEOUT_MS = 365 * 24 * 3_600_000;
const LAZY_OPS = new Set(["DeferAdd", "DeferAbort"]);

export type CallOutcome =
  | {
      kind: "http";
      status: number;
      body: string;
      noRetry: boolean;
      retryAfter: string | null;
      reqVersion: number | null;
      durationMs: number;
    }
  | { kind: "network"; message: string; durationMs: number };

/** Thrown when the engine stops during a call: the job is released, not failed. */
export class CallAbandoned extends Error {}

export async function runCallJob(core: Core, job: JobRow, signal: AbortSignal): Promise<void> {
  const runId = job.run_id!;
  // Three reads in parallel (three pooled connections), no transaction: nothing is held during the call.
  const [runResult, fnResult, stepsResult] = await Promise.all([
    core.pool.query<RunRow>({ name: "call_run", text: "SELECT * FROM runs WHERE id = $1", values: [runId] }),
    core.pool.query<FunctionRow>({
      name: "call_fn",
      text: "SELECT f.* FROM runs r JOIN functions f ON f.id = r.function_id WHERE r.id = $1",
      values: [runId],
    }),
    core.pool.query<{ step_id: string; result: StepResult }>({
      name: "call_steps",
      text: "SELECT step_id, result FROM run_steps WHERE run_id = $1 ORDER BY position",
      values: [runId],
    }),
  ]);
  const run = runResult.rows[0];
  const fn = fnResult.rows[0];
  if (!run || run.status !== "running" || !fn) {
    await transaction(core, async (tx) => {
      const locked = await lockOwnedRun(tx, job, core.workerId);
      if (!locked) return;
      if (locked.status === "running" && !fn) {
        await finalizeRun(core, tx, locked, "failed", {
          error: { name: "FunctionNotFound", message: `Function ${locked.function_id} is not registered with the engine (sync the app)` },
        });
      }
      await deleteJob(tx, job.id);
    });
    return;
  }

  const outcome = await callApp(core, run, fn, job, stepsResult.rows, signal);
  observeStep(core, fn.id, outcome.durationMs);
  await transaction(core, (tx) => applyOutcome(core, tx, job, fn, outcome));
}

/** Locks the job (if this worker still holds it) and its run; undefined when the lease was lost. */
async function lockOwnedRun(tx: Tx, job: JobRow, workerId: string): Promise<RunRow | undefined> {
  const { rows } = await tx.prepared<RunRow>(
    "lock_owned_run",
    "SELECT r.* FROM jobs j JOIN runs r ON r.id = j.run_id WHERE j.id = $1 AND j.locked_by = $2 FOR UPDATE OF j, r",
    [job.id, workerId],
  );
  return rows[0];
}

async function callApp(
  core: Core,
  run: RunRow,
  fn: FunctionRow,
  job: JobRow,
  steps: Array<{ step_id: string; result: StepResult }>,
  signal: AbortSignal,
): Promise<CallOutcome> {
  const stack = steps.map((s) => s.step_id);
  const body = {
    event: run.event,
    events: [run.event],
    steps: Object.fromEntries(steps.map((s) => [s.step_id, s.result])),
    version: run.request_version,
    // No fn_id / qi_id: they would switch on the SDK's async checkpointing,
    // which posts step results to an endpoint this engine does not implement.
    ctx: {
      run_id: run.id,
      attempt: job.attempt,
      max_attempts: maxAttempts(fn),
      disable_immediate_execution: run.force_step_plan,
      use_api: false,
      stack: { stack, current: stack.length },
    },
  };
  const url = new URL(fn.url);
  url.searchParams.set("fnId", fn.id);
  url.searchParams.set("stepId", job.step_id ?? "step");
  const payload = requestBodyText(body);
  const signingKey = core.options.signingKey;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-run-id": run.id,
    // Without a key the SDK must be in dev mode, where it does not check the (empty) signature.
    "x-inngest-signature": signingKey ? signatureHeader(payload, signingKey) : "",
    "x-inngest-server-kind": signingKey ? "cloud" : "dev",
    "x-inngest-step-id": job.step_id ?? "step",
  };
  if (run.request_version !== -1) headers["x-inngest-req-version"] = String(run.request_version);

  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: payload,
      signal: AbortSignal.any([signal, AbortSignal.timeout(core.options.callTimeoutMs)]),
    });
    const text = await response.text();
    const version = response.headers.get("x-inngest-req-version");
    return {
      kind: "http",
      status: response.status,
      body: text,
      noRetry: response.headers.get("x-inngest-no-retry") === "true",
      retryAfter: response.headers.get("retry-after"),
      reqVersion: version !== null && /^-?\d+$/.test(version) ? Number(version) : null,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    if (signal.aborted) throw new CallAbandoned("engine stopping");
    const message = error instanceof Error ? `${error.name}: ${error.message}${causeText(error)}` : String(error);
    return { kind: "network", message, durationMs: performance.now() - started };
  }
}

function causeText(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : "";
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Applies the app's answer in one transaction holding the run's lock. */
async function applyOutcome(core: Core, tx: Tx, job: JobRow, fn: FunctionRow, outcome: CallOutcome): Promise<void> {
  const run = await lockOwnedRun(tx, job, core.workerId);
  if (!run) return; // lease lost: another engine owns this job now
  if (run.status !== "running") {
    await deleteJob(tx, job.id); // cancelled or finished meanwhile: drop the answer
    return;
  }
  const stepLabel = job.step_id === "step" ? "discovery" : job.step_id;
  const base = { stepId: job.step_id, attempt: job.attempt, durationMs: outcome.durationMs, worker: core.workerId };

  if (outcome.kind === "network") {
    await retryOrFail(core, tx, job, fn, run, { name: "NetworkError", message: outcome.message }, false, null, base);
    return;
  }
  if (run.request_version === -1 && outcome.reqVersion !== null) {
    run.request_version = outcome.reqVersion;
    await saveRunState(tx, run);
  }

  if (outcome.status === 200) {
    const output = parseJson(outcome.body);
    await addHistory(tx, run.id, { ...base, kind: "call.completed" });
    await finalizeRun(core, tx, run, "completed", { output: output === undefined ? outcome.body : output });
    await deleteJob(tx, job.id);
    return;
  }

  if (outcome.status === 206) {
    const parsed = parseJson(outcome.body);
    const ops = (Array.isArray(parsed) ? parsed : parsed && typeof parsed === "object" ? [parsed] : []) as OutgoingOp[];
    // Nothing to act on (no ops, unparseable, or only lazy ones): deleting the job would strand the
    // run in "running" with nothing scheduled. Treat it as a failed call: retried, then the run fails.
    if (!ops.some((op) => op && typeof op.op === "string" && !LAZY_OPS.has(op.op))) {
      const error = {
        name: "NoActionableOperation",
        message: `HTTP 206 from the app with no operation to act on: ${outcome.body.slice(0, 300)}`,
      };
      await retryOrFail(core, tx, job, fn, run, error, outcome.noRetry, outcome.retryAfter, base);
      return;
    }
    const single = ops.length === 1 && ["StepRun", "StepError", "StepFailed"].includes(ops[0]!.op);
    if (!single) await addHistory(tx, run.id, { ...base, kind: "call.ops", detail: { ops: ops.map((o) => o.op) } });
    const keep = await applyOps(core, tx, job, fn, run, ops, outcome);
    if (!keep) await deleteJob(tx, job.id);
    tx.afterCommit.push(() => core.log.debug("call answered", { run: run.id, step: stepLabel, ops: ops.map((o) => o.op).join(",") }));
    return;
  }

  const parsed = parseJson(outcome.body);
  const error =
    parsed && typeof parsed === "object"
      ? (parsed as SerializedError)
      : { name: "Error", message: `HTTP ${outcome.status} from the app: ${outcome.body.slice(0, 500)}` };
  await retryOrFail(core, tx, job, fn, run, error, outcome.noRetry, outcome.retryAfter, base);
}

/** Function-level error (or network failure): retry the same request, or fail the run. */
async function retryOrFail(
  core: Core,
  tx: Tx,
  job: JobRow,
  fn: FunctionRow,
  run: RunRow,
  error: SerializedError,
  noRetry: boolean,
  retryAfter: string | null,
  base: { stepId: string | null; attempt: number; durationMs: number; worker: string },
): Promise<void> {
  if (!noRetry && job.attempt + 1 < maxAttempts(fn)) {
    const at = retryAt(core, tx.now, job.attempt, retryAfter);
    await addHistory(tx, run.id, { ...base, kind: "call.error.retrying", detail: { error, retryAt: new Date(at).toISOString() } });
    await retryJob(tx, job, at);
    const description = describeError(error);
    tx.afterCommit.push(() =>
      core.log.warn("call failed, will retry", { run: run.id, function: fn.id, attempt: job.attempt, error: description }),
    );
    return;
  }
  await addHistory(tx, run.id, { ...base, kind: "call.error.final", detail: { error } });
  await finalizeRun(core, tx, run, "failed", { error });
  await deleteJob(tx, job.id);
}

/** Engine time of the next attempt: Retry-After (seconds or a date) or the backoff table. */
export function retryAt(core: Core, now: number, attempt: number, retryAfter: string | null): number {
  if (retryAfter) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return now + Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    if (!Number.isNaN(at)) return Math.max(now, at);
  }
  const table = core.options.backoffMs;
  return now + (table[Math.min(attempt, table.length - 1)] ?? 1000);
}

/** Applies the ops of a 206; returns true when the job itself was kept (a step retry). */
async function applyOps(
  core: Core,
  tx: Tx,
  job: JobRow,
  fn: FunctionRow,
  run: RunRow,
  ops: OutgoingOp[],
  outcome: Extract<CallOutcome, { kind: "http" }>,
): Promise<boolean> {
  const active = ops.filter((op) => !LAZY_OPS.has(op.op));
  if (active.length > 1) {
    run.force_step_plan = true;
    if (run.request_version >= 2 && active.some((op) => op.op === "StepPlanned")) {
      const pending = new Set(run.pending);
      for (const op of active) if (op.opts?.parallelMode !== "race") pending.add(op.id);
      // A step that already has a result (re-reported sibling) must not hold up the fan-in.
      const { rows: done } = await tx.query<{ step_id: string }>(
        "SELECT step_id FROM run_steps WHERE run_id = $1 AND step_id = ANY($2::text[])",
        [run.id, [...pending]],
      );
      for (const { step_id } of done) pending.delete(step_id);
      run.pending = [...pending];
    }
    await saveRunState(tx, run);
  }

  let keepJob = false;
  for (const op of ops) {
    if (run.status !== "running") break;
    const name = op.displayName ?? op.userland?.id ?? op.name ?? null;
    const race = op.opts?.parallelMode === "race" || job.payload["race"] === true;
    const history = { stepId: op.id, stepName: name, attempt: job.attempt, worker: core.workerId };
    switch (op.op) {
      case "StepRun": {
        await completeStep(tx, run, {
          stepId: op.id,
          op: op.op,
          name,
          kind: op.opts?.type ?? null,
          input: op.opts?.input,
          result: { data: op.data ?? null },
          attempt: job.attempt,
          race,
        });
        await addHistory(tx, run.id, { ...history, kind: "step.completed", durationMs: outcome.durationMs });
        tx.afterCommit.push(() => core.log.info("step completed", { run: run.id, step: name, attempt: job.attempt }));
        break;
      }
      case "StepError": {
        if (!outcome.noRetry && job.attempt + 1 < maxAttempts(fn)) {
          const at = retryAt(core, tx.now, job.attempt, outcome.retryAfter);
          await addHistory(tx, run.id, {
            ...history,
            kind: "step.error.retrying",
            durationMs: outcome.durationMs,
            detail: { error: op.error, retryAt: new Date(at).toISOString() },
          });
          await retryJob(tx, job, at);
          keepJob = true;
          const description = describeError(op.error);
          tx.afterCommit.push(() =>
            core.log.warn("step errored, will retry", { run: run.id, step: name, attempt: job.attempt, error: description }),
          );
          break;
        }
        await failStep(core, tx, run, op, name, job, outcome, race);
        break;
      }
      case "StepFailed":
        await failStep(core, tx, run, op, name, job, outcome, race);
        break;
      case "StepPlanned": {
        if (await hasStep(tx, run.id, op.id)) break; // already done (v1 / race re-report)
        await enqueueJob(tx, {
          kind: "call",
          run,
          stepId: op.id,
          runAt: tx.now,
          dedupeKey: `${run.id}:plan:${op.id}`,
          payload: race ? { race: true } : {},
        });
        break;
      }
      case "Sleep": {
        if (await hasStep(tx, run.id, op.id)) break; // re-reported after it ended
        const spec = (op.opts?.duration as string | undefined) ?? op.name;
        const until = resolveTime(spec, tx.now);
        if (until === undefined) {
          await finalizeRun(core, tx, run, "failed", { error: { name: "InvalidSleep", message: `Cannot parse sleep "${spec}"` } });
          break;
        }
        const scheduled = await enqueueJob(tx, {
          kind: "sleep",
          run,
          stepId: op.id,
          runAt: until,
          dedupeKey: `${run.id}:sleep:${op.id}`,
          payload: { name, race },
        });
        if (!scheduled) break; // re-reported while already sleeping
        await addHistory(tx, run.id, { ...history, kind: "step.sleeping", detail: { until: new Date(until).toISOString() } });
        tx.afterCommit.push(() => core.log.info("step sleeping", { run: run.id, step: name, until: new Date(until).toISOString() }));
        break;
      }
      case "WaitForEvent": {
        if (await hasStep(tx, run.id, op.id)) break;
        const eventName = (op.opts?.event as string | undefined) ?? op.name ?? "";
        const expiresAt = resolveTime(op.opts?.timeout, tx.now) ?? tx.now + LONG_TIMEOUT_MS;
        const expression = typeof op.opts?.if === "string" ? op.opts.if : null;
        const pause = await insertPause(tx, { run, kind: "wait", eventName, expression, stepId: op.id, stepName: name, expiresAt, race });
        if (!pause) break; // re-reported while already waiting
        await enqueueJob(tx, {
          kind: "wait_timeout",
          run,
          stepId: op.id,
          runAt: expiresAt,
          dedupeKey: `${run.id}:wait:${op.id}`,
          payload: { name, race },
        });
        await addHistory(tx, run.id, {
          ...history,
          kind: "step.waiting",
          detail: { event: eventName, if: expression, timeoutAt: new Date(expiresAt).toISOString() },
        });
        tx.afterCommit.push(() => core.log.info("step waiting for event", { run: run.id, step: name, event: eventName }));
        break;
      }
      case "InvokeFunction": {
        await invokeFunction(core, tx, run, op, name, race);
        break;
      }
      case "RunComplete": {
        await finalizeRun(core, tx, run, "completed", { output: op.data ?? null });
        break;
      }
      case "DeferAdd":
      case "DeferAbort":
        break;
      default: {
        await finalizeRun(core, tx, run, "failed", {
          error: { name: "UnsupportedOperation", message: `The local engine does not support the ${op.op} operation` },
        });
      }
    }
  }
  return keepJob && run.status === "running";
}

async function failStep(
  core: Core,
  tx: Tx,
  run: RunRow,
  op: OutgoingOp,
  name: string | null,
  job: JobRow,
  outcome: Extract<CallOutcome, { kind: "http" }>,
  race: boolean,
): Promise<void> {
  const error = op.error ?? op.data ?? { name: "Error", message: "step failed" };
  await completeStep(tx, run, {
    stepId: op.id,
    op: op.op,
    name,
    kind: op.opts?.type ?? null,
    input: op.opts?.input,
    result: { error },
    attempt: job.attempt,
    race,
  });
  await addHistory(tx, run.id, {
    stepId: op.id,
    stepName: name,
    attempt: job.attempt,
    worker: core.workerId,
    kind: "step.failed",
    durationMs: outcome.durationMs,
    detail: { error },
  });
  const description = describeError(error);
  tx.afterCommit.push(() => core.log.warn("step failed", { run: run.id, step: name, attempt: job.attempt, error: description }));
}

/** step.invoke: a pause on the child's function.finished event (by correlation id), a timeout, and the invoked event. */
async function invokeFunction(core: Core, tx: Tx, run: RunRow, op: OutgoingOp, name: string | null, race: boolean): Promise<void> {
  if (await hasStep(tx, run.id, op.id)) return;
  const existing = await tx.query("SELECT 1 FROM pauses WHERE run_id = $1 AND step_id = $2", [run.id, op.id]);
  if (existing.rowCount) return; // re-reported while the invoked run is still going: invoke once
  const functionId = op.opts?.function_id ?? "";
  const correlationId = `${run.id}.${op.id}`;
  const expiresAt = resolveTime(op.opts?.timeout, tx.now) ?? tx.now + LONG_TIMEOUT_MS;
  await addHistory(tx, run.id, { stepId: op.id, stepName: name, kind: "step.invoking", detail: { function: functionId } });
  const target = await getFunction(tx, functionId);
  if (!target || target.deleted) {
    await completeStep(tx, run, {
      stepId: op.id,
      op: op.op,
      name,
      result: { error: { name: "Error", message: `Function ${functionId} is not registered with the engine` } },
      attempt: 0,
      race,
    });
    return;
  }
  await insertPause(tx, {
    run,
    kind: "invoke",
    eventName: FINISHED_EVENT,
    expression: null,
    stepId: op.id,
    stepName: name,
    expiresAt,
    race,
    match: { path: "data.correlation_id", value: JSON.stringify(correlationId) },
  });
  await enqueueJob(tx, {
    kind: "invoke_timeout",
    run,
    stepId: op.id,
    runAt: expiresAt,
    dedupeKey: `${run.id}:invoke:${op.id}`,
    payload: { name, race },
  });
  const payload = op.opts?.payload ?? {};
  const data = payload.data && typeof payload.data === "object" ? (payload.data as Record<string, unknown>) : {};
  await ingestEvents(
    core,
    tx,
    [{ ...payload, name: INVOKED_EVENT, data: { ...data, _inngest: { fn_id: functionId, correlation_id: correlationId } } }],
    { internal: true },
  );
  tx.afterCommit.push(() => core.log.info("step invoking function", { run: run.id, step: name, function: functionId }));
}
