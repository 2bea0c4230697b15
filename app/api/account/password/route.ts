import { changePassword } from "@/server/accounts/change-password";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.changePassword, async ({ user, body, meta }) => json(await changePassword({ user, ...body, meta }))),
});
