import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { requestMeta, type RequestMeta } from "@/server/audit";
import { requireUser, type CurrentUser } from "@/server/auth/current-user";
import { env } from "@/server/env";
import { takeClientBudget } from "@/server/budgets/take-client-budget";
import { AppError, isAppError } from "@/server/errors";
import { readJson } from "@/server/http/body";
import { budgetKey } from "@/server/http/client-ip";
import type { Operation } from "@/server/http/operations";
import { isSameOrigin } from "@/server/http/same-origin";
import { log } from "@/server/logger";
import { metrics } from "@/server/metrics";

// The one place where HTTP meets the domain: every JSON route is an
// operation (server/http/operations.ts) plus a handler that calls one server
// function. The wrapper does, in this order, what each handler would
// otherwise repeat: the same-origin rule, the session, the bounded and
// validated body, the request meta for the audit log, and the mapping of
// every failure to the API's error shape; plus the operation's per-client
// budget, if it declares one.

type Context<O extends Operation> = {
  request: NextRequest;
  /** The path's dynamic segments, validated by the operation's `params` schema. */
  params: O["params"] extends z.ZodType ? z.infer<O["params"]> : Record<string, never>;
  meta: RequestMeta;
  user: O["auth"] extends "user" ? CurrentUser : null;
  body: O["body"] extends z.ZodType ? z.infer<O["body"]> : undefined;
};

/** What Next passes a route handler besides the request: the path's dynamic segments. */
export type RouteContext = { params: Promise<Record<string, string | string[]>> };

export type RouteHandler = (request: NextRequest, context?: RouteContext) => Promise<Response>;

const APP_ORIGIN = new URL(env.APP_URL).origin;

export function route<O extends Operation>(operation: O, handler: (context: Context<O>) => Promise<Response>): RouteHandler {
  return async (request, context) => {
    const started = performance.now();
    const response = await answer(request, context);
    // The operation's path template, never the concrete URL: ids stay out of labels.
    recordRequest(operation.path, operation.method, response.status, started);
    return response;
  };

  async function answer(request: NextRequest, context: RouteContext | undefined): Promise<Response> {
    try {
      if (operation.sameOrigin && !isSameOrigin(request, APP_ORIGIN)) {
        throw new AppError("CROSS_ORIGIN", "Cross-origin requests are not allowed.");
      }
      const user = operation.auth === "user" ? await requireUser() : null;
      // A malformed id names nothing: 404, as for an id that does not exist.
      let params: unknown = {};
      if (operation.params) {
        const parsed = operation.params.safeParse(await context?.params);
        if (!parsed.success) throw new AppError("NOT_FOUND", parsed.error.issues[0]?.message ?? "Not found.");
        params = parsed.data;
      }
      const body = operation.body ? await readJson(request, operation.body, { emailCode: operation.emailCode }) : undefined;
      const meta = requestMeta(request.headers);
      // Anonymous work is bounded per client before the handler does any of
      // it (hashing, mail, token lookups); see the operation's `budget`.
      if (operation.budget) await takeClientBudget({ budget: operation.budget, client: budgetKey(meta.ip) });
      const response = await handler({ request, params, meta, user, body } as Context<O>);
      response.headers.set("Cache-Control", "no-store");
      return response;
    } catch (error) {
      return errorResponse(error);
    }
  }
}

/** One answered request in the HTTP metrics (also used by formAction). */
export function recordRequest(route: string, method: string, status: number, startedAt: number): void {
  metrics.httpRequests.inc({ route, method, status: String(status) });
  metrics.httpDuration.observe({ route, method }, (performance.now() - startedAt) / 1000);
}

/** A JSON answer. */
export function json(data: unknown, status = 200): NextResponse {
  return NextResponse.json(data, { status });
}

export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (error.retryAfter !== undefined) {
      // The standard header is in whole seconds; the exact wait goes in
      // Retry-After-Ms (and `retryAfterMs` in the body where the error sets it).
      headers["Retry-After"] = String(Math.max(1, Math.ceil(error.retryAfter)));
      headers["Retry-After-Ms"] = String(Math.max(0, Math.round(error.retryAfter * 1000)));
    }
    return NextResponse.json(error.toBody(), { status: error.status, headers });
  }
  log.error("unhandled error in route handler", { error });
  return NextResponse.json(
    { error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." } },
    { status: 500, headers: { "Cache-Control": "no-store" } },
  );
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * All the methods of one path: the given handlers, and a JSON 405 naming
 * the allowed ones for the rest (Next.js would answer those with an empty
 * body). Route files export its result: `export const { GET, POST, … } = endpoint({ POST })`.
 */
export function endpoint(handlers: Partial<Record<Method, RouteHandler>>): Record<Method, RouteHandler> {
  const allowed = METHODS.filter((method) => handlers[method]);
  const notAllowed: RouteHandler = async (request) => {
    const response = errorResponse(
      new AppError("METHOD_NOT_ALLOWED", `${request.method} is not supported here. Use ${allowed.join(" or ")}.`),
    );
    response.headers.set("Allow", allowed.join(", "));
    return response;
  };
  return Object.fromEntries(METHODS.map((method) => [method, handlers[method] ?? notAllowed])) as Record<Method, RouteHandler>;
}
