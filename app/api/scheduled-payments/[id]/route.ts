import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { cancelSchedule, getSchedule, rescheduleSchedule } from "@/server/payments/schedules";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.getSchedule, async ({ user, params }) => json(await getSchedule(user.id, params.id))),
  PATCH: route(operations.changeSchedule, async ({ user, params, body, meta }) =>
    json({ schedule: await rescheduleSchedule({ userId: user.id, id: params.id, input: body, meta }) }),
  ),
  DELETE: route(operations.cancelSchedule, async ({ user, params, meta }) =>
    json({ schedule: await cancelSchedule({ userId: user.id, id: params.id, meta }) }),
  ),
});
