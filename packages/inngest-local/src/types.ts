// Shapes of the Inngest protocol (as sent by inngest 4.24.0) and of the rows
// the engine keeps.

export interface EventPayload {
  name: string;
  data: Record<string, unknown>;
  id: string;
  ts: number;
  user?: Record<string, unknown>;
  v?: string;
  [key: string]: unknown;
}

export interface FunctionTrigger {
  event?: string;
  expression?: string;
  cron?: string;
  jitter?: string;
}

export interface ConcurrencyOption {
  limit: number;
  key?: string;
  scope?: "fn" | "env" | "account";
}

export interface FunctionConfig {
  id: string;
  name?: string;
  triggers?: FunctionTrigger[];
  steps?: Record<string, { id?: string; name?: string; runtime?: { type?: string; url?: string }; retries?: { attempts?: number } }>;
  idempotency?: string;
  concurrency?: number | ConcurrencyOption | ConcurrencyOption[];
  cancel?: Array<{ event: string; if?: string; timeout?: string }>;
  [option: string]: unknown;
}

export interface OutgoingOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown> & {
    type?: string;
    input?: unknown;
    event?: string;
    if?: string;
    timeout?: string;
    duration?: string;
    parallelMode?: string;
    function_id?: string;
    payload?: { data?: unknown; v?: string; meta?: unknown };
  };
  data?: unknown;
  error?: unknown;
  userland?: { id?: string; index?: number };
  timing?: unknown;
}

export type StepResult = { data: unknown } | { error: unknown };

export const RUN_STATUSES = ["running", "completed", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Attempts of a function's steps: its `retries` + 1 (Inngest's default is 4 retries). */
export function attemptsOf(config: FunctionConfig | null | undefined): number {
  const retries = config?.steps?.["step"]?.retries?.attempts;
  return (typeof retries === "number" && retries >= 0 ? retries : 4) + 1;
}

export interface RunRow {
  id: string;
  function_id: string;
  status: RunStatus;
  event_internal_id: string | null;
  event_name: string;
  event: EventPayload;
  request_version: number;
  force_step_plan: boolean;
  pending: string[];
  stack_size: number;
  correlation_id: string | null;
  concurrency_keys: string[];
  concurrency_limits: number[];
  output: unknown;
  error: unknown;
  started_at: Date;
  ended_at: Date | null;
}

export type JobKind = "call" | "sleep" | "wait_timeout" | "invoke_timeout" | "cron";

export interface JobRow {
  id: string;
  run_id: string | null;
  function_id: string | null;
  kind: JobKind;
  step_id: string | null;
  attempt: number;
  run_at: Date;
  locked_until: Date | null;
  locked_by: string | null;
  executing: boolean;
  dedupe_key: string | null;
  payload: Record<string, unknown>;
  concurrency_keys: string[];
  concurrency_limits: number[];
}

export interface FunctionRow {
  id: string;
  app_id: string;
  slug: string;
  name: string;
  url: string;
  config: FunctionConfig;
  deleted: boolean;
}

export interface PauseRow {
  id: string;
  run_id: string;
  kind: "wait" | "invoke" | "cancel";
  step_id: string | null;
  step_name: string | null;
  event_name: string;
  expression: string | null;
  match_path: string | null;
  match_value: string | null;
  race: boolean;
  expires_at: Date;
  created_at: Date;
}

/** A serialized error as the SDK sends it. */
export interface SerializedError {
  name?: string;
  message?: string;
  stack?: string;
  [key: string]: unknown;
}
