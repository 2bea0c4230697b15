import { endpoint, errorResponse, route, type RouteHandler } from "@/server/http/route";
import { operations } from "@/server/http/operations";
import { exposeMetrics, metricsAbsent, metricsEnabled } from "@/server/metrics";

export const dynamic = "force-dynamic";

const handlers = endpoint({
  GET: route(operations.metrics, async ({ request }) => {
    const { text, contentType } = await exposeMetrics(request.headers.get("authorization"));
    return new Response(text, { status: 200, headers: { "Content-Type": contentType } });
  }),
});

// Without METRICS_TOKEN the path does not exist for any method: a 405 naming GET would say it does.
const absent: RouteHandler = async () => errorResponse(metricsAbsent());
const served =
  (handler: RouteHandler): RouteHandler =>
  (request, context) =>
    (metricsEnabled() ? handler : absent)(request, context);

export const GET = handlers.GET;
export const POST = served(handlers.POST);
export const PUT = served(handlers.PUT);
export const PATCH = served(handlers.PATCH);
export const DELETE = served(handlers.DELETE);
