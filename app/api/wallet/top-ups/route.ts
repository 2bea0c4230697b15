import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { idempotencyKey } from "@/server/http/idempotency-key";
import { topUp } from "@/server/wallet/top-up";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.topUp, async ({ request, user, body }) =>
    json({ entry: await topUp({ userId: user.id, amount: body.amount, idempotencyKey: idempotencyKey(request) ?? undefined }) }, 201),
  ),
});
