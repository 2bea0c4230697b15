// Shapes of the JSON API shared by the queries that build them and the client
// that reads them; kept free of imports so the client stays dependency-free.

export interface RunSummary {
  id: string;
  functionId: string;
  functionSlug: string | null;
  functionName: string | null;
  status: string;
  eventName: string;
  eventId: string | null;
  correlationId: string | null;
  startedAt: string;
  endedAt: string | null;
  output: unknown;
  error: unknown;
}

export interface StepView {
  id: string;
  name: string | null;
  op: string;
  kind: string | null;
  position: number;
  attempt: number;
  input: unknown;
  output: unknown;
  error: unknown;
  at: string;
}

/** What a running run waits on: its pauses (events, sleeps) and its scheduled jobs. */
export interface RunWaitingFor {
  pauses: Array<{
    kind: string;
    stepId: string | null;
    stepName: string | null;
    event: string;
    expression: string | null;
    expiresAt: string;
  }>;
  jobs: Array<{ kind: string; stepId: string | null; stepName: string | null; attempt: number; runAt: string; running: boolean }>;
}

export interface RunHistoryEntry {
  at: string;
  kind: string;
  stepId: string | null;
  stepName: string | null;
  attempt: number | null;
  durationMs: number | null;
  detail: unknown;
}
