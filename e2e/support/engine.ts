import { ENGINE_URL } from "./env";

/** Moves the local engine's clock forward, firing every timer that falls due. */
export async function advanceEngineClock(ms: number): Promise<void> {
  const response = await fetch(`${ENGINE_URL}/api/clock/advance`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ms }),
  });
  if (!response.ok) throw new Error(`engine clock: ${response.status} ${await response.text()}`);
}
