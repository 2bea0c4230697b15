import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { resumeSchedule } from "@/server/payments/schedules";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.resumeSchedule, async ({ user, params, meta }) =>
    json({ schedule: await resumeSchedule({ userId: user.id, id: params.id, meta }) }),
  ),
});
