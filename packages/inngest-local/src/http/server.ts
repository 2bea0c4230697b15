// The engine's HTTP surface: the Inngest endpoints the SDK calls (event API,
// out-of-band registration), the JSON API, the clock, and the web page.
import http from "node:http";
import type { Core } from "../core";
import { transaction } from "../core";
import { parseDurationMs } from "../duration";
import { EventValidationError, ingestEvents, validateEvents } from "../ingest";
import { finalizeRun } from "../lifecycle";
import { errorMessage } from "../log";
import { getEvent, getRunDetail, listApps, listEvents, listFunctions, listRuns, runsOfEvent } from "../store/queries";
import { lockRun } from "../store/runs";
import { registerApp, registrationFromRegisterBody, type SyncResult } from "../sync";
import { eventPage, functionsPage, homePage, notFoundPage, runPage } from "./ui";
import { HttpError, intParam, optionalParam, parseJson, readBody, sendHtml, sendJson } from "./util";

export interface HttpDeps {
  core: Core;
  sync: (url?: string) => Promise<SyncResult[]>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, params: string[], url: URL) => Promise<void>;

export function createHttpServer(deps: HttpDeps): http.Server {
  const { core } = deps;
  const routes: Array<[string, RegExp, Handler]> = [
    ["POST", /^\/e\/([^/]+)$/, async (req, res) => receiveEvents(deps, req, res)],
    [
      "POST",
      /^\/fn\/register$/,
      async (req, res) => {
        const body = parseJson(await readBody(req));
        if (!body || typeof body !== "object") throw new HttpError(400, "expected a JSON object");
        const registration = registrationFromRegisterBody(body as Record<string, unknown>);
        if (!registration.url) throw new HttpError(400, "url is required");
        await registerApp(core, registration);
        sendJson(res, 200, { status: 200, ok: true, modified: true, skipped: false });
      },
    ],
    [
      "GET",
      /^\/health$/,
      async (_req, res) => {
        try {
          await core.pool.query("SELECT 1");
          sendJson(res, 200, { ok: true, schema: core.options.schema, worker: core.workerId });
        } catch (error) {
          sendJson(res, 503, { ok: false, error: errorMessage(error) });
        }
      },
    ],
    [
      "GET",
      /^\/api\/runs$/,
      async (_req, res, _p, url) => {
        const q = url.searchParams;
        const runs = await listRuns(core.pool, {
          fn: optionalParam(q.get("function")),
          status: optionalParam(q.get("status")),
          event: optionalParam(q.get("event")),
          limit: intParam(q.get("limit"), 50, 1000),
        });
        sendJson(res, 200, { runs });
      },
    ],
    [
      "GET",
      /^\/api\/runs\/([^/]+)$/,
      async (_req, res, [id]) => {
        const detail = await getRunDetail(core.pool, id!);
        if (!detail) throw new HttpError(404, "run not found");
        sendJson(res, 200, { ...detail.run, steps: detail.steps, waitingFor: detail.waitingFor, history: detail.history });
      },
    ],
    [
      "POST",
      /^\/api\/runs\/([^/]+)\/cancel$/,
      async (_req, res, [id]) => {
        const found = await transaction(core, async (tx) => {
          const run = await lockRun(tx, id!);
          if (!run) return false;
          await finalizeRun(core, tx, run, "cancelled", { error: { name: "RunCancelled", message: "Run cancelled through the API" } });
          return true;
        });
        if (!found) throw new HttpError(404, "run not found");
        sendJson(res, 200, { ok: true });
      },
    ],
    [
      "GET",
      /^\/api\/events$/,
      async (_req, res, _p, url) => {
        const q = url.searchParams;
        const events = await listEvents(core.pool, {
          name: optionalParam(q.get("name")),
          limit: intParam(q.get("limit"), 50, 1000),
          includeInternal: q.get("internal") !== "false" && q.get("internal") !== "0",
        });
        sendJson(res, 200, { events });
      },
    ],
    [
      "GET",
      /^\/api\/events\/([^/]+)$/,
      async (_req, res, [id]) => {
        const event = await getEvent(core.pool, id!);
        if (!event) throw new HttpError(404, "event not found");
        sendJson(res, 200, event);
      },
    ],
    [
      "GET",
      /^\/api\/events\/([^/]+)\/runs$/,
      async (_req, res, [id]) => {
        const event = await getEvent(core.pool, id!);
        if (!event) throw new HttpError(404, "event not found");
        sendJson(res, 200, { runs: await runsOfEvent(core.pool, event.id) });
      },
    ],
    [
      "GET",
      /^\/api\/functions$/,
      async (_req, res) => {
        sendJson(res, 200, { apps: await listApps(core.pool), functions: await listFunctions(core.pool) });
      },
    ],
    [
      "POST",
      /^\/api\/sync$/,
      async (req, res) => {
        const body = parseJson(await readBody(req)) as { url?: unknown } | null;
        const url = body && typeof body.url === "string" ? body.url : undefined;
        const results = await deps.sync(url);
        sendJson(res, results.every((r) => r.ok) ? 200 : 502, { results });
      },
    ],
    [
      "GET",
      /^\/api\/clock$/,
      async (_req, res) => {
        await core.clock.load(core.pool);
        sendJson(res, 200, clockView(core));
      },
    ],
    [
      "POST",
      /^\/api\/clock\/advance$/,
      async (req, res) => {
        const body = parseJson(await readBody(req)) as { ms?: unknown; duration?: unknown } | null;
        let ms: number | undefined;
        if (typeof body?.ms === "number") ms = body.ms;
        else if (typeof body?.duration === "string" || typeof body?.duration === "number") ms = parseDurationMs(body.duration);
        if (ms === undefined || !Number.isFinite(ms) || ms < 0)
          throw new HttpError(400, 'expected {"ms": <non-negative number>} or {"duration": "24h"}');
        await core.clock.advance(core.pool, ms, core.channel);
        core.wakeLocal();
        core.log.info("clock advanced", { ms, offsetMs: core.clock.offset() });
        sendJson(res, 200, clockView(core));
      },
    ],
    [
      "GET",
      /^\/$/,
      async (_req, res, _p, url) => {
        const fn = optionalParam(url.searchParams.get("function"));
        const [runs, events] = await Promise.all([
          listRuns(core.pool, { fn, limit: 50 }),
          listEvents(core.pool, { limit: 30, includeInternal: false }),
        ]);
        sendHtml(res, 200, homePage({ runs, events, clock: clockView(core) }));
      },
    ],
    [
      "GET",
      /^\/runs\/([^/]+)$/,
      async (_req, res, [id]) => {
        const detail = await getRunDetail(core.pool, id!);
        if (!detail) return sendHtml(res, 404, notFoundPage(`No run ${id}`));
        sendHtml(res, 200, runPage(detail));
      },
    ],
    [
      "GET",
      /^\/events\/([^/]+)$/,
      async (_req, res, [id]) => {
        const event = await getEvent(core.pool, id!);
        if (!event) return sendHtml(res, 404, notFoundPage(`No event ${id}`));
        sendHtml(res, 200, eventPage(event, await runsOfEvent(core.pool, event.id)));
      },
    ],
    [
      "GET",
      /^\/functions$/,
      async (_req, res) => {
        sendHtml(res, 200, functionsPage(await listFunctions(core.pool)));
      },
    ],
  ];

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://engine.local");
    const method = req.method ?? "GET";
    let pathMatched = false;
    for (const [routeMethod, pattern, handler] of routes) {
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (routeMethod !== method && !(routeMethod === "GET" && method === "HEAD")) continue;
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      handler(req, res, params, url).catch((error: unknown) => {
        if (res.headersSent) return res.destroy();
        if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
        core.log.error("request failed", { method, path: url.pathname, error: errorMessage(error) });
        sendJson(res, 500, { error: errorMessage(error) });
      });
      return;
    }
    core.log.debug("no route", { method, path: url.pathname });
    sendJson(res, pathMatched ? 405 : 404, { error: pathMatched ? "method not allowed" : "not found" });
  });
}

function clockView(core: Core) {
  const now = core.clock.now();
  return { now: new Date(now).toISOString(), nowMs: now, offsetMs: core.clock.offset(), realNow: new Date().toISOString() };
}

/** POST /e/:key — the event API. The SDK requires "status": 200 in the body. */
async function receiveEvents(deps: HttpDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { core } = deps;
  let events: Array<Record<string, unknown>>;
  try {
    events = validateEvents(parseJson(await readBody(req)));
  } catch (error) {
    if (error instanceof EventValidationError || error instanceof HttpError) {
      return sendJson(res, 400, { ids: [], status: 400, error: error.message });
    }
    throw error;
  }
  const seedHeader = req.headers["x-inngest-event-id-seed"];
  const seed = typeof seedHeader === "string" ? seedHeader : null;
  const ids = await transaction(core, (tx) => ingestEvents(core, tx, events, { seed }));
  sendJson(res, 200, { ids, status: 200 });
}
