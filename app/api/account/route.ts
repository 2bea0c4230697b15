import { getAccount } from "@/server/accounts/get-account";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.getAccount, async ({ user }) => json(await getAccount(user))),
});
