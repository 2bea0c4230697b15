import { getCurrentUser } from "@/server/auth/current-user";
import { keepCurrentSession } from "@/server/auth/refresh-session";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.confirmEmailLink, async ({ request, body, meta }) => {
    // No session is needed, but the old address's hop of a change needs the
    // owner's (ADR 0018): it is looked up for that hop only.
    const { userId, sessionVersion, ...outcome } = await confirmEmailLink({
      token: body.token,
      meta,
      signedInUserId: async () => (await getCurrentUser())?.id ?? null,
    });
    const response = json(outcome);
    // An email change ends the user's other sessions; the one confirming stays signed in.
    if (sessionVersion !== undefined) await keepCurrentSession(request, response, { userId, sessionVersion });
    return response;
  }),
});
