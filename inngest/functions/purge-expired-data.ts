import { inngest } from "@/server/inngest";
import { purgeExpiredData } from "@/server/retention/purge-expired-data";

// Retention (lib/rules.ts): once a day, delete the links, session rows, audit
// events and published outbox rows whose time is up. The work is one server function, so a missed
// or repeated run only moves the deletion by a day.
export const purgeExpiredDataFunction = inngest.createFunction(
  { id: "purge-expired-data", name: "Purge expired data", triggers: [{ cron: "TZ=Asia/Kathmandu 30 3 * * *" }], retries: 3 },
  async ({ step }) => step.run("purge expired data", () => purgeExpiredData()),
);
