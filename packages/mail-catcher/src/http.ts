import type http from "node:http";

export type Method = "GET" | "POST" | "DELETE";

export interface RouteContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  /** Decoded capture groups of the route's pattern. */
  params: string[];
}

export interface Route {
  /** A normalised path (no trailing slash) or a pattern anchored on both ends. */
  path: string | RegExp;
  methods: Partial<Record<Method, (context: RouteContext) => void>>;
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(payload);
}

export function sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, errorBody(code, message));
}

/**
 * Dispatches on path, then method. An unknown path is a JSON 404, a known one
 * with another method a JSON 405 naming the allowed ones. HEAD runs the GET
 * handler; Node drops the body.
 */
export function createRouter(routes: Route[]): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    // A DNS-rebound name (evil.example resolving to 127.0.0.1) makes a hostile page same-origin
    // with us: its requests carry its own name in Host, never a loopback one.
    if (!isLoopbackHost(req.headers.host)) {
      req.resume();
      return sendError(
        res,
        403,
        "FORBIDDEN_HOST",
        "Host must be 127.0.0.1, localhost or [::1]: the mail catcher serves this machine only.",
      );
    }
    const rawUrl = req.url ?? "/";
    // Only origin-form targets ("/path?query"); "*" and absolute URLs are not for us.
    if (!rawUrl.startsWith("/")) return sendError(res, 400, "BAD_REQUEST", "Request target must be a path.");
    const url = new URL(`http://mail-catcher.invalid${rawUrl}`);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";

    for (const route of routes) {
      const params = match(route.path, path);
      if (!params) continue;
      const handler = route.methods[(method === "HEAD" ? "GET" : method) as Method];
      if (!handler) {
        const allowed = allowedMethods(route);
        res.setHeader("Allow", allowed);
        return sendError(res, 405, "METHOD_NOT_ALLOWED", `${method} is not allowed here; use ${allowed}.`);
      }
      if (method !== "GET" && method !== "HEAD" && isCrossSite(req)) {
        return sendError(res, 403, "CROSS_SITE", "Requests from other sites may not change the mail catcher.");
      }
      // Programs change state with JSON (which no cross-site form can send); the pages' own forms prove their origin.
      if (method !== "GET" && method !== "HEAD" && !isJson(req) && !isSameOrigin(req)) {
        req.resume();
        return sendError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Changes take Content-Type: application/json (or a form from these pages).");
      }
      return handler({ req, res, url, params });
    }
    sendError(res, 404, "NOT_FOUND", `Nothing at ${path}.`);
  };
}

function match(pattern: string | RegExp, path: string): string[] | undefined {
  if (typeof pattern === "string") return pattern === path ? [] : undefined;
  const found = pattern.exec(path);
  return found ? found.slice(1).map((group) => safeDecode(group ?? "")) : undefined;
}

function allowedMethods(route: Route): string {
  const methods = Object.keys(route.methods);
  if (methods.includes("GET")) methods.splice(methods.indexOf("GET") + 1, 0, "HEAD");
  return methods.join(", ");
}

/**
 * Browsers tag every request with where it came from; a page on another site
 * (any web page the developer has open) must not empty the inbox or fake an
 * outage. Programs (tests, curl) send neither header and are let through.
 */
function isCrossSite(req: http.IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined) return site !== "same-origin" && site !== "none";
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return origin !== `http://${req.headers.host ?? ""}`;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(`http://${host}`).hostname.toLowerCase());
  } catch {
    return false;
  }
}

function isJson(req: http.IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/** Positive evidence that one of our pages sent it (isCrossSite only finds evidence against). */
function isSameOrigin(req: http.IncomingMessage): boolean {
  if (req.headers["sec-fetch-site"] === "same-origin") return true;
  return req.headers.origin !== undefined && req.headers.origin === `http://${req.headers.host ?? ""}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
