import { startEmailRequest } from "@/server/email-requests/start-email-request";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.startEmailRequest, async ({ user, body, meta }) =>
    json({ emailRequest: await startEmailRequest({ user, ...body, meta }) }, 202),
  ),
});
