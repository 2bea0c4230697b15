import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  DELETE: route(operations.cancelEmailRequest, async ({ user, meta }) => {
    await cancelEmailRequest({ userId: user.id, meta });
    return json({ cancelled: true });
  }),
});
