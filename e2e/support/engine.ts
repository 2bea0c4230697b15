// The only file that imports the local engine's client.
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
