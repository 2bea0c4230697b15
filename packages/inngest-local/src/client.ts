// A small client of the engine's JSON API, for tests (the app's and ours):
// send events, move the clock, wait for runs to finish. Published on its own
// (`@wallet/inngest-local/client`) for processes that only talk to a running
// engine, so it uses nothing but fetch.
import type { RunHistoryEntry, RunSummary, RunWaitingFor, StepView } from "./api-types";

/** A run as the JSON API lists it (the same shape the queries produce). */
export type RunView = RunSummary & { status: "running" | "completed" | "failed" | "cancelled" };

export interface RunDetailView extends RunView {
  event: { name: string; data: Record<string, unknown>; id: string; ts: number };
  steps: StepView[];
  waitingFor: RunWaitingFor;
  history: RunHistoryEntry[];
}

export interface EventView {
  id: string;
  eventId: string;
  name: string;
  receivedAt: string;
  deduplicated: boolean;
  internal: boolean;
  payload: { name: string; data: Record<string, unknown>; id: string; ts: number; user?: Record<string, unknown> };
}

export interface RunFilter {
  function?: string;
  /** running, completed, failed, cancelled, or a state of a running run: retrying, waiting, sleeping. */
  status?: string;
  event?: string;
  /** An event data field (`requestId`, `data.user.id`) whose value, as text, must equal `value`. */
  key?: string;
  value?: string;
  limit?: number;
}

export interface WaitForRunOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Resolve when this returns true; default: the run is no longer running. */
  until?: (run: RunDetailView) => boolean;
}

export class EngineClient {
  /** `eventKey`: the key the engine was started with (--event-key), if any. */
  constructor(
    readonly baseUrl: string,
    readonly options: { eventKey?: string } = {},
  ) {}

  private async request<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
    const method = init?.method ?? "GET";
    // The engine takes only JSON POSTs (a cross-site form cannot send one): send {} when there is nothing to say.
    const body = init?.body ?? (method === "GET" ? undefined : {});
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async runs(filter: RunFilter = {}): Promise<RunView[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    return (await this.request<{ runs: RunView[] }>(`/api/runs?${q}`)).runs;
  }

  run(id: string): Promise<RunDetailView> {
    return this.request<RunDetailView>(`/api/runs/${encodeURIComponent(id)}`);
  }

  async events(filter: { name?: string; limit?: number } = {}): Promise<EventView[]> {
    const q = new URLSearchParams();
    if (filter.name) q.set("name", filter.name);
    if (filter.limit) q.set("limit", String(filter.limit));
    return (await this.request<{ events: EventView[] }>(`/api/events?${q}`)).events;
  }

  async eventRuns(eventId: string): Promise<RunView[]> {
    return (await this.request<{ runs: RunView[] }>(`/api/events/${encodeURIComponent(eventId)}/runs`)).runs;
  }

  async send(events: Record<string, unknown> | Array<Record<string, unknown>>): Promise<string[]> {
    const body = await this.request<{ ids: string[]; status: number }>(`/e/${encodeURIComponent(this.options.eventKey ?? "local")}`, {
      method: "POST",
      body: events,
    });
    return body.ids;
  }

  advanceClock(by: number | string): Promise<{ now: string; nowMs: number; offsetMs: number }> {
    return this.request("/api/clock/advance", { method: "POST", body: typeof by === "number" ? { ms: by } : { duration: by } });
  }

  clock(): Promise<{ now: string; nowMs: number; offsetMs: number }> {
    return this.request("/api/clock");
  }

  /** Runs marked running with nothing scheduled (no job, no pause): stranded, which is always an engine bug. */
  check(): Promise<{ ok: boolean; stranded: RunView[] }> {
    return this.request("/api/check");
  }

  sync(url?: string): Promise<{ results: Array<{ url: string; ok: boolean; error?: string }> }> {
    return this.request("/api/sync", { method: "POST", body: url ? { url } : {} });
  }

  /** Polls until the run (by id, or the first run matching the filter) satisfies `until` (default: ended). */
  async waitForRun(target: string | RunFilter, options: WaitForRunOptions = {}): Promise<RunDetailView> {
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    const until = options.until ?? ((run: RunDetailView) => run.status !== "running");
    let last: RunDetailView | undefined;
    for (;;) {
      let id: string | undefined = typeof target === "string" ? target : undefined;
      if (!id) id = (await this.runs({ ...(target as RunFilter), limit: 1 }))[0]?.id;
      if (id) {
        last = await this.run(id);
        if (until(last)) return last;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `waitForRun(${JSON.stringify(target)}) timed out; last state: ${last ? `${last.status}, ${last.steps.length} steps` : "no run yet"}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
    }
  }
}
