import { exportAccount } from "@/server/accounts/export-account";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.exportAccount, async ({ user, meta }) => {
    const response = json(await exportAccount({ user, meta }));
    response.headers.set("Content-Disposition", `attachment; filename="wallet-data-${new Date().toISOString().slice(0, 10)}.json"`);
    return response;
  }),
});
