import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { getWallet } from "@/server/wallet/get-wallet";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.getWallet, async ({ user }) => json(await getWallet(user.id))),
});
