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
