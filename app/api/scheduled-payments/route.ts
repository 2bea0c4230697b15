import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";
import { createSchedule, listSchedules } from "@/server/payments/schedules";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  GET: route(operations.listSchedules, async ({ user }) => json({ schedules: await listSchedules(user.id) })),
  POST: route(operations.createSchedule, async ({ user, body, meta }) =>
    json({ schedule: await createSchedule({ user, input: body, meta }) }, 201),
  ),
});
