// The engine's HTTP surface: the Inngest endpoints the SDK calls (event API,
// out-of-band registration), the JSON API, the clock, and the web page.
import http from "node:http";
import type { Core } from "../core";
import { transaction } from "../core";
import { parseDurationMs } from "../duration";
import { EventValidationError, ingestEvents, validateEvents } from "../ingest";
import { finalizeRun } from "../lifecycle";
import { errorMessage } from "../log";
import { metricsText } from "../metrics";
import { FilterError, parseDataKey, parseStatusFilter } from "../inspect";
import {
  getEvent,
  getRunDetail,
  listApps,
  listEvents,
  findFunction,
  listFunctions,
  listRuns,
  listStrandedRuns,
  runStateRows,
  runsOfEvent,
  type RunFilter,
} from "../store/queries";
import { lockRun } from "../store/runs";
import { registerApp, registrationFromRegisterBody, StrictModeError, type SyncResult } from "../sync";
import { hashedSigningKey, safeEqual } from "../signing";
import { assertJson, assertLocalRequest } from "./guard";
import { eventPage, functionPage, functionsPage, homePage, notFoundPage, runPage, runsPage, type RunsPageFilter } from "./ui";
import { HttpError, intParam, optionalParam, parseJson, readBody, sendHtml, sendJson } from "./util";

export interface HttpDeps {
  core: Core;
  sync: (url?: string) => Promise<SyncResult[]>;
  /** Whether a serve URL may be synced or registered through HTTP (the -u and --allow-app URLs). */
  isAllowedApp: (url: string) => boolean;
}

/** Event names Inngest reserves for its own lifecycle events: the engine emits them, users may not. */
const RESERVED_EVENT_PREFIX = "inngest/";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, params: string[], url: URL) => Promise<void>;

export function createHttpServer(deps: HttpDeps): http.Server {
  const { core } = deps;
  const clockRoutes: Array<[string, RegExp, Handler]> = [
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
  ];
  const routes: Array<[string, RegExp, Handler]> = [
    ["POST", /^\/e\/([^/]+)$/, async (req, res, [key]) => receiveEvents(deps, req, res, key!)],
    [
      "POST",
      /^\/fn\/register$/,
      async (req, res) => {
        const body = parseJson(await readBody(req));
        if (!body || typeof body !== "object") throw new HttpError(400, "expected a JSON object");
        const signingKey = core.options.signingKey;
        // The SDK authenticates out-of-band registration with its hashed signing key, as on Inngest.
        if (signingKey && !safeEqual(req.headers.authorization ?? "", `Bearer ${hashedSigningKey(signingKey)}`)) {
          throw new HttpError(401, "registration needs the app's signing key");
        }
        const registration = registrationFromRegisterBody(body as Record<string, unknown>);
        if (!registration.url) throw new HttpError(400, "url is required");
        if (!deps.isAllowedApp(registration.url))
          throw new HttpError(403, `app URL not allowed: ${registration.url} (start the engine with -u or --allow-app)`);
        try {
          await registerApp(core, registration);
        } catch (error) {
          if (error instanceof StrictModeError) throw new HttpError(400, error.message);
          throw error;
        }
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
      /^\/metrics$/,
      async (_req, res) => {
        const text = await metricsText(core);
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
        res.end(text);
      },
    ],
    [
      "GET",
      /^\/api\/runs$/,
      async (_req, res, _p, url) => {
        const { filter, error } = runFilter(url.searchParams);
        if (error) throw new HttpError(400, error);
        sendJson(res, 200, { runs: await listRuns(core.pool, filter) });
      },
    ],
    [
      "GET",
      /^\/api\/check$/,
      async (_req, res, _p, url) => {
        const stranded = await listStrandedRuns(core.pool, intParam(url.searchParams.get("limit"), 100, 1000));
        sendJson(res, 200, { ok: stranded.length === 0, stranded });
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
        // The full config is on the web page; the JSON keeps its documented shape.
        const functions = (await listFunctions(core.pool)).map(({ config: _config, ...fn }) => fn);
        sendJson(res, 200, { apps: await listApps(core.pool), functions });
      },
    ],
    [
      "POST",
      /^\/api\/sync$/,
      async (req, res) => {
        const body = parseJson(await readBody(req)) as { url?: unknown } | null;
        const url = body && typeof body.url === "string" ? body.url : undefined;
        // The engine would otherwise PUT to any URL a caller names.
        if (url !== undefined && !deps.isAllowedApp(url))
          throw new HttpError(403, `app URL not allowed: ${url} (start the engine with -u or --allow-app)`);
        const results = await deps.sync(url);
        sendJson(res, results.every((r) => r.ok) ? 200 : 502, { results });
      },
    ],
    [
      "GET",
      /^\/$/,
      async (_req, res) => {
        // Filtering is the runs page's (/runs?function=…).
        const [runs, events] = await Promise.all([
          listRuns(core.pool, { limit: 50 }),
          listEvents(core.pool, { limit: 30, includeInternal: false }),
        ]);
        const states = await runStateRows(core.pool, runningIds(runs));
        sendHtml(res, 200, homePage({ runs, events, states, clock: clockView(core) }));
      },
    ],
    [
      "GET",
      /^\/runs$/,
      async (_req, res, _p, url) => {
        const { filter, typed, error } = runFilter(url.searchParams);
        const functions = await listFunctions(core.pool);
        // A filter that cannot run shows the form again with what to fix, and no runs.
        const runs = error ? [] : await listRuns(core.pool, filter);
        const states = await runStateRows(core.pool, runningIds(runs));
        sendHtml(res, error ? 400 : 200, runsPage({ runs, states, functions, filter: typed, error }));
      },
    ],
    [
      "GET",
      /^\/functions\/([^/]+)$/,
      async (_req, res, [id]) => {
        const fn = await findFunction(core.pool, id!);
        if (!fn) return sendHtml(res, 404, notFoundPage(`No function ${id}`));
        const runs = await listRuns(core.pool, { fn: fn.id, limit: 20 });
        sendHtml(res, 200, functionPage(fn, runs, await runStateRows(core.pool, runningIds(runs))));
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
        const runs = await runsOfEvent(core.pool, event.id);
        sendHtml(res, 200, eventPage(event, runs, await runStateRows(core.pool, runningIds(runs))));
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
  // Moving time is for tests: a clock API on a developer's engine would let anything on the machine fire sleeps and timeouts.
  if (core.options.testClock) routes.push(...clockRoutes);

  return http.createServer((req, res) => {
    const method = req.method ?? "GET";
    let url: URL;
    let params: string[] | undefined;
    let handler: Handler | undefined;
    let pathMatched = false;
    try {
      assertLocalRequest(req);
      const target = req.url ?? "/";
      // Only origin-form targets ("/path?query"); absolute URLs and "*" are not for us.
      if (!target.startsWith("/")) throw new HttpError(400, "request target must be a path");
      url = new URL(target, "http://engine.local");
      for (const [routeMethod, pattern, routeHandler] of routes) {
        const match = pattern.exec(url.pathname);
        if (!match) continue;
        pathMatched = true;
        if (routeMethod !== method && !(routeMethod === "GET" && method === "HEAD")) continue;
        // decodeURIComponent throws on malformed percent-encoding ("/runs/%E0%A4%A"): a 400, never a crash.
        params = match.slice(1).map((p) => {
          try {
            return decodeURIComponent(p);
          } catch {
            throw new HttpError(400, "malformed percent-encoding in the URL");
          }
        });
        if (method === "POST") assertJson(req);
        handler = routeHandler;
        break;
      }
    } catch (error) {
      // Drain a body we will not read, so the client gets the answer rather than a reset connection.
      req.resume();
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      core.log.warn("request refused", { method, error: errorMessage(error) });
      return sendJson(res, 400, { error: "bad request" });
    }
    if (!handler || !params) {
      req.resume();
      core.log.debug("no route", { method, path: url.pathname });
      return sendJson(res, pathMatched ? 405 : 404, { error: pathMatched ? "method not allowed" : "not found" });
    }
    handler(req, res, params, url).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      core.log.error("request failed", { method, path: url.pathname, error: errorMessage(error) });
      sendJson(res, 500, { error: errorMessage(error) });
    });
  });
}

/**
 * The run filters of GET /runs and GET /api/runs: function (id or slug),
 * status (or a running state), event name, and one event data field
 * (`key` + `value`). `typed` echoes what was sent; `error` says what to fix.
 */
function runFilter(q: URLSearchParams): { filter: RunFilter; typed: RunsPageFilter; error?: string } {
  const typed: RunsPageFilter = {
    status: optionalParam(q.get("status")),
    fn: optionalParam(q.get("function")),
    event: optionalParam(q.get("event")),
    key: optionalParam(q.get("key")),
    value: q.get("value") ?? undefined,
    limit: 50,
  };
  const filter: RunFilter = { fn: typed.fn, event: typed.event, limit: 50 };
  try {
    filter.limit = typed.limit = intParam(q.get("limit"), 50, 1000);
    filter.status = parseStatusFilter(typed.status);
    if (typed.key !== undefined) {
      if (typed.value === undefined) throw new FilterError("an event data field needs a value to compare with");
      filter.data = { path: parseDataKey(typed.key), value: typed.value };
    } else if (optionalParam(typed.value ?? null) !== undefined) {
      throw new FilterError("a value needs an event data field (key) to compare with");
    }
    return { filter, typed };
  } catch (error) {
    if (error instanceof FilterError || error instanceof HttpError) return { filter, typed, error: error.message };
    throw error;
  }
}

function runningIds(runs: Array<{ id: string; status: string }>): string[] {
  return runs.filter((r) => r.status === "running").map((r) => r.id);
}

function clockView(core: Core) {
  const now = core.clock.now();
  return { now: new Date(now).toISOString(), nowMs: now, offsetMs: core.clock.offset(), realNow: new Date().toISOString() };
}

/** POST /e/:key — the event API. The SDK requires "status": 200 in the body. */
async function receiveEvents(deps: HttpDeps, req: http.IncomingMessage, res: http.ServerResponse, key: string): Promise<void> {
  const { core } = deps;
  const eventKey = core.options.eventKey;
  if (eventKey && !safeEqual(key, eventKey)) return sendJson(res, 401, { ids: [], status: 401, error: "event key not found" });
  let events: Array<Record<string, unknown>>;
  try {
    events = validateEvents(parseJson(await readBody(req)));
    const reserved = events.find((e) => typeof e["name"] === "string" && e["name"].startsWith(RESERVED_EVENT_PREFIX));
    if (reserved)
      throw new HttpError(400, `event names starting with "${RESERVED_EVENT_PREFIX}" are reserved: ${String(reserved["name"])}`);
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
