import "server-only";
import { inngest } from "@/server/inngest";
import { log } from "@/server/logger";

type Sendable = Parameters<typeof inngest.send>[0];

/**
 * Publishes events after the database has recorded the fact they describe.
 * The database is the source of truth: a workflow that misses the event
 * re-reads the request when its wait times out, so a failure here is logged
 * loudly but never undoes or fails what the user did.
 */
export async function publish(events: Sendable): Promise<boolean> {
  try {
    await inngest.send(events);
    return true;
  } catch (error) {
    const names = (Array.isArray(events) ? events : [events]).map((event) => event.name);
    log.error("could not publish events; workflows will catch up when their waits time out", {
      events: names,
      error: (error as Error).message,
      cause: String((error as Error).cause ?? ""),
    });
    return false;
  }
}
