import { checkHealth, isOperator } from "@/server/health";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.health, async ({ request }) => {
    const health = await checkHealth();
    const code = health.status === "down" ? 503 : 200;
    // The public gets the status; what is down and how slow, only an operator.
    return json(isOperator(request.headers.get("authorization")) ? health : { status: health.status }, code);
  }),
});
