// The events the server published, as the recorder standing in for Inngest's
// event API saw them (tests/setup/event-recorder.ts). Filter by the ids of
// your own rows: other test files publish to the same recorder.
import { inject } from "vitest";
import { relaysSettled } from "@/server/outbox/relay";
import type { RecordedEvent } from "../setup/event-recorder";

/** Events by name and by fields of their data (e.g. `{ name, requestId, hop }`), in publishing order. */
export async function publishedEvents(filter: { name?: string } & Record<string, string | undefined>): Promise<RecordedEvent[]> {
  // Server functions relay their events in the background after the commit
  // (ADR 0016); what this process started has reached the recorder once they settle.
  await relaysSettled();
  const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(new URL(`/events?${query}`, inject("eventsUrl")));
  if (!response.ok) throw new Error(`event recorder answered ${response.status}`);
  return (await response.json()) as RecordedEvent[];
}

/** Makes the event recorder refuse (503) any batch with an event whose data matches, until `restore` is called. */
export async function eventApiOutage(match: Record<string, string>): Promise<{ restore: () => Promise<void> }> {
  const url = new URL(`/outage?${new URLSearchParams(match)}`, inject("eventsUrl"));
  if (!(await fetch(url, { method: "POST" })).ok) throw new Error("event recorder refused the outage");
  return { restore: async () => void (await fetch(url, { method: "DELETE" })) };
}

/** Just the names and data, in publishing order: what most assertions compare. */
export async function publishedFor(requestId: string): Promise<{ name: string; data: Record<string, unknown> }[]> {
  return (await publishedEvents({ requestId })).map(({ name, data }) => ({ name, data }));
}
