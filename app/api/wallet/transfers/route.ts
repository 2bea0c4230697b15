import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { idempotencyKey } from "@/server/http/idempotency-key";
import { payNow } from "@/server/wallet/pay-now";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.transfer, async ({ request, user, body, meta }) => {
    const { entry, replayed } = await payNow({ user, ...body, meta, idempotencyKey: idempotencyKey(request) });
    return json({ entry }, replayed ? 200 : 201);
  }),
});
