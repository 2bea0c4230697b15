import { deleteAccount } from "@/server/accounts/delete-account";
import { getAccount } from "@/server/accounts/get-account";
import { clearSessionCookie } from "@/server/auth/refresh-session";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.getAccount, async ({ user }) => json(await getAccount(user))),
  DELETE: route(operations.deleteAccount, async ({ user, body, meta }) => {
    await deleteAccount({ user, password: body.password, meta });
    const response = json({ deleted: true });
    clearSessionCookie(response);
    return response;
  }),
});
