import { endAllSessions } from "@/server/accounts/end-all-sessions";
import { clearSessionCookie } from "@/server/auth/refresh-session";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.endAllSessions, async ({ user, meta }) => {
    await endAllSessions({ user, meta });
    const response = json({ ended: true });
    clearSessionCookie(response);
    return response;
  }),
});
