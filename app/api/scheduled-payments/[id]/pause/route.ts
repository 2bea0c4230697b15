import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { pauseSchedule } from "@/server/payments/schedules";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.pauseSchedule, async ({ user, params, meta }) =>
    json({ schedule: await pauseSchedule({ userId: user.id, id: params.id, meta }) }),
  ),
});
