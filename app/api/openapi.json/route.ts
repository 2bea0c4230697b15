import { openApiDocument } from "@/server/http/openapi";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.openApi, async () => json(openApiDocument())),
});
