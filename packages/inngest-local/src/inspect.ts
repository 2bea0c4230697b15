// What the run inspector tells an operator, computed from stored rows and
// kept free of HTML (the pages render it, tests can check it): the state of a
// run in words (retrying is not waiting is not sleeping), the distinct errors
// of a run across attempts and steps, and a function's settings.
import { NOT_ENFORCED } from "./sync";
import { attemptsOf, RUN_STATUSES, type FunctionConfig } from "./types";

export type StateBadge = "retrying" | "waiting" | "sleeping" | "running" | "queued" | "completed" | "failed" | "cancelled";

export interface RunState {
  /** One word, shown as the badge (and filterable as status=…). */
  badge: StateBadge;
  /** What the run is doing, one phrase per outstanding thing, e.g. "waiting for event app/x until …". */
  details: string[];
}

export interface StateInput {
  status: string;
  jobs: Array<{ kind: string; stepId: string | null; stepName: string | null; attempt: number; runAt: string; running: boolean }>;
  pauses: Array<{ kind: string; event: string; expression: string | null; stepName: string | null; expiresAt: string }>;
  maxAttempts: number;
  /** The error of the latest retried attempt, if any. */
  lastRetryError?: { stepName: string | null; error: unknown };
}

// The badges of a running run are the states /runs?status= filters on (listRuns's SQL: a wait or
// an invoke pause is "waiting", a retried call "retrying", a sleep "sleeping"), plus running and queued.
const BADGE_ORDER: StateBadge[] = ["retrying", "waiting", "sleeping", "running", "queued"];

/** The state of a run in words. A running run may do several things at once (parallel steps): the badge is the most telling. */
export function describeRunState(input: StateInput): RunState {
  if (input.status !== "running") return { badge: input.status as StateBadge, details: [] };
  const found: Array<[StateBadge, string]> = [];
  for (const job of input.jobs) {
    const step = job.stepName ? ` (step ${job.stepName})` : "";
    if (job.kind === "call" && job.attempt > 0) {
      const where = job.running ? "running now" : `next at ${job.runAt}`;
      const error = input.lastRetryError ? `, after ${errorTitle(input.lastRetryError.error)}` : "";
      const errorStep = !step && input.lastRetryError?.stepName ? ` (step ${input.lastRetryError.stepName})` : step;
      found.push(["retrying", `retrying${errorStep}: attempt ${job.attempt + 1} of ${input.maxAttempts}, ${where}${error}`]);
    } else if (job.kind === "call") {
      found.push(job.running ? ["running", `running${step}`] : ["queued", `queued${step}, due ${job.runAt}`]);
    } else if (job.kind === "sleep") {
      found.push(["sleeping", `sleeping${step} until ${job.runAt}`]);
    }
  }
  for (const pause of input.pauses) {
    const step = pause.stepName ? ` (step ${pause.stepName})` : "";
    if (pause.kind === "wait") {
      const condition = pause.expression ? ` if ${pause.expression}` : "";
      found.push(["waiting", `waiting for event ${pause.event}${condition}${step} until ${pause.expiresAt}`]);
    } else if (pause.kind === "invoke") {
      found.push(["waiting", `waiting for an invoked function${step} until ${pause.expiresAt}`]);
    }
  }
  if (found.length === 0) return { badge: "running", details: [] };
  const badge = BADGE_ORDER.find((b) => found.some(([f]) => f === b)) ?? "running";
  return { badge, details: found.map(([, text]) => text) };
}

/** "Name: message" of a serialized error. */
export function errorTitle(error: unknown): string {
  if (error === null || error === undefined) return "an unknown error";
  if (typeof error === "string") return error;
  if (typeof error === "object") {
    const e = error as { name?: unknown; message?: unknown };
    const name = typeof e.name === "string" && e.name !== "" ? e.name : "Error";
    return typeof e.message === "string" && e.message !== "" ? `${name}: ${e.message}` : name;
  }
  return String(error);
}

export function errorStack(error: unknown): string | undefined {
  if (error && typeof error === "object" && typeof (error as { stack?: unknown }).stack === "string") {
    return (error as { stack: string }).stack;
  }
  return undefined;
}

export interface ErrorGroup {
  /** Step name, or "(function)" for an error of the function itself (outside any step). */
  step: string;
  title: string;
  count: number;
  firstAt: string;
  lastAt: string;
  /** Attempts (1-based) that ended in this error. */
  attempts: number[];
  /** The latest stack trace seen for it. */
  stack?: string;
  final: boolean;
}

/** History entries that record one attempt ending in an error (the run's own outcome repeats the last one, so it is left out). */
const ERROR_KINDS = new Set(["call.error.retrying", "call.error.final", "step.error.retrying", "step.failed"]);

/** Every distinct error of a run (by step and "name: message"), oldest first, with how often and when it was seen. */
export function errorGroups(
  history: Array<{ at: string; kind: string; stepName: string | null; attempt: number | null; detail: unknown }>,
): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const entry of history) {
    if (!ERROR_KINDS.has(entry.kind)) continue;
    const error = (entry.detail as { error?: unknown } | null)?.error;
    const step = entry.stepName ?? "(function)";
    const title = errorTitle(error);
    const key = JSON.stringify([step, title]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { step, title, count: 0, firstAt: entry.at, lastAt: entry.at, attempts: [], final: false }));
    group.count += 1;
    group.lastAt = entry.at;
    if (entry.attempt !== null) group.attempts.push(entry.attempt + 1);
    group.stack = errorStack(error) ?? group.stack;
    if (entry.kind === "call.error.final" || entry.kind === "step.failed") group.final = true;
  }
  return [...groups.values()];
}

export interface FunctionSetting {
  label: string;
  values: string[];
  /** Accepted but not enforced by this engine (see README "Not enforced locally"). */
  notEnforced?: boolean;
}

const OPTION_LABELS: Array<[string, string]> = [
  ["concurrency", "Concurrency"],
  ["throttle", "Throttle"],
  ["rateLimit", "Rate limit"],
  ["debounce", "Debounce"],
  ["priority", "Priority"],
  ["batchEvents", "Batching"],
  ["singleton", "Singleton"],
  ["timeouts", "Timeouts"],
  ["idempotency", "Idempotency key"],
];

/** Keys read first in an option (the stored config is jsonb, whose key order is not the author's). */
const KEY_ORDER = ["limit", "maxSize", "period", "timeout", "burst", "key", "scope", "run", "if"];
const rank = (key: string) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);

/** `limit=5, key=event.data.id`: an option object in one line. */
function inline(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) return value.map(inline).join("; ");
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
}

/** A function's triggers, retries, cancellation and flow control, in words. */
export function functionSettings(config: FunctionConfig): FunctionSetting[] {
  const settings: FunctionSetting[] = [];
  const triggers = (config.triggers ?? []).map((t) =>
    t.cron ? `cron ${t.cron}` : `event ${t.event ?? "?"}${t.expression ? ` if ${t.expression}` : ""}`,
  );
  settings.push({ label: "Triggers", values: triggers.length ? triggers : ["none"] });
  const explicit = config.steps?.["step"]?.retries?.attempts;
  const attempts = attemptsOf(config);
  const retries = attempts - 1;
  settings.push({
    label: "Retries",
    values: [
      `${retries} ${retries === 1 ? "retry" : "retries"} (${attempts} ${attempts === 1 ? "attempt" : "attempts"})${typeof explicit === "number" ? "" : ", the default"}`,
    ],
  });
  const cancel = (config.cancel ?? []).map(
    (c) => `on event ${c.event}${c.if ? ` if ${c.if}` : ""}${c.timeout ? `, for ${c.timeout}` : ""}`,
  );
  settings.push({ label: "Cancel", values: cancel.length ? cancel : ["none"] });
  for (const [key, label] of OPTION_LABELS) {
    const value = config[key];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value.map(inline) : [inline(value)];
    settings.push({ label, values, notEnforced: (NOT_ENFORCED as readonly string[]).includes(key) });
  }
  return settings;
}

/** States of a running run that the run list can filter on, besides the statuses. */
export const RUN_STATES = ["retrying", "waiting", "sleeping"] as const;

/** A filter the operator typed that cannot be run; its message says what to fix. */
export class FilterError extends Error {}

/**
 * The event path of a data field as typed: `requestId`, `data.requestId` or
 * `data.user.id` all mean a path under `data`. The path goes to PostgreSQL as
 * a bound text[] parameter, never into the SQL text.
 */
export function parseDataKey(key: string): string[] {
  const trimmed = key.trim().replace(/^(event\.)?data\./, "");
  const parts = trimmed.split(".");
  if (trimmed === "" || parts.some((p) => p === ""))
    throw new FilterError(`invalid event data field "${key}": use a name like requestId or user.id`);
  if (parts.length > 10 || trimmed.length > 200) throw new FilterError("event data field too long: at most 10 names and 200 characters");
  return ["data", ...parts];
}

/** Validates a run status or state filter (case-insensitive); undefined = any. */
export function parseStatusFilter(status: string | undefined): string | undefined {
  if (status === undefined) return undefined;
  const lower = status.toLowerCase();
  if (!([...RUN_STATUSES, ...RUN_STATES] as readonly string[]).includes(lower)) {
    throw new FilterError(`unknown status "${status}": use one of ${[...RUN_STATUSES, ...RUN_STATES].join(", ")}`);
  }
  return lower;
}
