import { resendExpiredLink } from "@/server/email-requests/resend-expired-link";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.resendExpiredLink, async ({ body, meta }) => json(await resendExpiredLink({ token: body.token, meta }), 202)),
});
