// The only file that imports the local engine's client, so moving the engine
// (to @wallet/inngest-local/client) touches one line.
import { EngineClient, type RunDetailView } from "../../engine";
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

/** The id of the workflow run that an email request started (its `account/email.requested` event carries the request id). */
export async function runOfEmailRequest(engine: Engine, requestId: string): Promise<string | null> {
  const events = await engine.events({ name: "account/email.requested", limit: 200 });
  const event = events.find((candidate) => candidate.payload.data["requestId"] === requestId);
  if (!event) return null;
  return (await engine.eventRuns(event.id))[0]?.id ?? null;
}
