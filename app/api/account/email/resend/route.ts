import { resendEmailLink } from "@/server/email-requests/resend-email-link";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.resendEmailLink, async ({ user, meta }) =>
    json({ emailRequest: await resendEmailLink({ userId: user.id, meta }) }, 202),
  ),
});
