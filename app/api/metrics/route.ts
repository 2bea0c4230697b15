import { operations } from "@/server/http/operations";
import { endpoint, route } from "@/server/http/route";
import { exposeMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.metrics, async ({ request }) => {
    const { text, contentType } = await exposeMetrics(request.headers.get("authorization"));
    return new Response(text, { status: 200, headers: { "Content-Type": contentType } });
  }),
});
