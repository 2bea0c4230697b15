// The only file that imports the local engine's client.
import { expect } from "@playwright/test";
import { EngineClient, type RunDetailView } from "@wallet/inngest-local/client";
import { ENGINE_URL } from "./env";

export type Engine = EngineClient;
export type EngineRun = RunDetailView;

/** The local engine's own client (clock, runs, events), or null when the suite has no engine. */
export function engineClient(): Engine | null {
  return ENGINE_URL ? new EngineClient(ENGINE_URL) : null;
}

/** Whether the engine answers; a BASE_URL deployment may point ENGINE_URL at nothing. */
export async function engineIsUp(engine: Engine): Promise<boolean> {
  try {
    await engine.clock();
    return true;
  } catch {
    return false;
  }
}

/** The workflow runs that email requests started, by request id (their `account/email.requested` events carry it). */
export async function runsOfEmailRequests(engine: Engine, requestIds: string[]): Promise<Map<string, string>> {
  const runs = new Map<string, string>();
  if (!requestIds.length) return runs;
  // The requests are the current test's, so among the newest events; the
  // engine keeps every event of every earlier run too.
  const events = await engine.events({ name: "account/email.requested", limit: 100 });
  for (const event of events) {
    const requestId = event.payload.data["requestId"];
    if (typeof requestId !== "string" || !requestIds.includes(requestId) || runs.has(requestId)) continue;
    const [run] = await engine.eventRuns(event.id);
    if (run) runs.set(requestId, run.id);
  }
  return runs;
}

export async function runOfEmailRequest(engine: Engine, requestId: string): Promise<string | null> {
  return (await runsOfEmailRequests(engine, [requestId])).get(requestId) ?? null;
}

/** Ends a run that is still running (the engine's own API; the app knows nothing of it). */
export async function cancelRunIfRunning(engine: Engine, runId: string): Promise<void> {
  if ((await engine.run(runId)).status !== "running") return;
  // The engine takes only JSON POSTs (no cross-site form can send one).
  const response = await fetch(new URL(`/api/runs/${encodeURIComponent(runId)}/cancel`, engine.baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  // 404: it ended meanwhile.
  if (!response.ok && response.status !== 404) throw new Error(`cancelling run ${runId}: HTTP ${response.status}`);
}

/** The engine's time (ms): the e2e app's now() follows it (TEST_CLOCK_URL), so tests never assume the real time. */
export async function engineNow(engine: Engine): Promise<number> {
  return (await engine.clock()).nowMs;
}

/**
 * Moves the engine's clock to `targetMs` (never back): its timers fire, and
 * the app, whose clock follows the engine's, sees the same time. Tests that
 * call this change every other test's time: tag them @global-state.
 *
 * There is no helper to restart the engine: the e2e stack runs it inside
 * Playwright's webServer process, which a test cannot reach. "The engine
 * restarted during the sleep" is covered against the real engine by
 * inngest/functions/payment-occurrence.int.test.ts.
 */
export async function advanceClockTo(engine: Engine, targetMs: number): Promise<void> {
  const now = await engineNow(engine);
  if (targetMs > now) await engine.advanceClock(Math.ceil(targetMs - now));
}

/** The runs that a schedule's `payments/occurrence.due` events started, each with the schedule version it belongs to. */
export async function runsOfSchedule(engine: Engine, scheduleId: string): Promise<{ runId: string; version: number; number: number }[]> {
  const events = await engine.events({ name: "payments/occurrence.due", limit: 200 });
  const runs: { runId: string; version: number; number: number }[] = [];
  for (const event of events) {
    if (event.payload.data["scheduleId"] !== scheduleId) continue;
    for (const run of await engine.eventRuns(event.id)) {
      runs.push({ runId: run.id, version: Number(event.payload.data["version"]), number: Number(event.payload.data["number"]) });
    }
  }
  return runs;
}

/** Waits until every run of this schedule's versions below `version` has ended (a change ends them: cancelOn). */
export async function waitForOlderRunsToEnd(engine: Engine, scheduleId: string, version: number): Promise<void> {
  let older: { runId: string }[] = [];
  await expect
    .poll(async () => (older = (await runsOfSchedule(engine, scheduleId)).filter((run) => run.version < version)).length, {
      message: `the runs of ${scheduleId} before version ${version}`,
    })
    .toBeGreaterThan(0);
  for (const run of older) await engine.waitForRun(run.runId, { timeoutMs: 15_000 });
}
