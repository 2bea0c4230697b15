// A stand-in for Inngest's event API, for integration tests: the real SDK's
// `inngest.send` posts a JSON array of events to `${INNGEST_DEV}/e/<key>`;
// this answers like Inngest does and keeps every event so a test can ask
// which events a server function published. Test files run in parallel and
// share it, so readers filter by the ids their own rows carry
// (GET /events?name=…&requestId=…) rather than clearing it.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedEvent = { id: string; name: string; data: Record<string, unknown>; ts?: number; receivedAt: string };

export type EventRecorder = { url: string; stop: () => Promise<void> };

export async function startEventRecorder(): Promise<EventRecorder> {
  const events: RecordedEvent[] = [];
  // Simulated outages, scoped to one test's rows so parallel files are not
  // affected: a batch holding an event whose data[key] is value is refused
  // with 503, as an unreachable or failing event API would.
  const outages = new Set<string>();
  const outageOf = (url: URL) => [...url.searchParams].map(([key, value]) => `${key}=${value}`);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://recorder.local");
    try {
      if (req.method === "POST" && /^\/e\/[^/]+$/.test(url.pathname)) {
        const body = JSON.parse(await readBody(req)) as unknown;
        const sent = (Array.isArray(body) ? body : [body]) as Partial<RecordedEvent>[];
        if (sent.some((event) => Object.entries(event.data ?? {}).some(([key, value]) => outages.has(`${key}=${String(value)}`)))) {
          return send(res, 503, { error: "simulated outage", status: 503 });
        }
        const ids = sent.map((event) => {
          const id = event.id ?? randomUUID();
          events.push({ id, name: String(event.name), data: event.data ?? {}, ts: event.ts, receivedAt: new Date().toISOString() });
          return id;
        });
        return send(res, 200, { ids, status: 200 });
      }
      // What GET /api/health asks the engine (server/health.ts), as the local engine answers it.
      if (req.method === "GET" && url.pathname === "/health") return send(res, 200, { ok: true });
      if (url.pathname === "/outage" && (req.method === "POST" || req.method === "DELETE")) {
        for (const key of outageOf(url)) {
          if (req.method === "POST") outages.add(key);
          else outages.delete(key);
        }
        return send(res, 200, { outages: [...outages] });
      }
      if (req.method === "GET" && url.pathname === "/events") {
        // Every query parameter but `name` is matched against the event's data.
        const filters = [...url.searchParams].filter(([key]) => key !== "name");
        const name = url.searchParams.get("name");
        const matching = events.filter(
          (event) => (!name || event.name === name) && filters.every(([key, value]) => String(event.data[key]) === value),
        );
        return send(res, 200, matching);
      }
      send(res, 404, { error: "not found", status: 404 });
    } catch (error) {
      send(res, 400, { error: String(error), status: 400 });
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) });
  res.end(payload);
}
