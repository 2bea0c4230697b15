import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { skipNext } from "@/server/payments/schedules";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.skipSchedule, async ({ user, params, meta }) =>
    json({ schedule: await skipNext({ userId: user.id, id: params.id, meta }) }),
  ),
});
