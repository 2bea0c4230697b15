import { checkHealth } from "@/server/health";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.health, async () => {
    const health = await checkHealth();
    return json(health, health.status === "down" ? 503 : 200);
  }),
});
