import { inngest } from "@/server/inngest";
import { relayOutbox } from "@/server/outbox/relay";

// The outbox's reconciliation (ADR 0016): every minute, send whatever the
// post-commit relay did not (the process died first, Inngest was down, a
// send timed out). Inngest triggering the job that feeds Inngest is not
// circular: the cron lives in Inngest's scheduler and needs no event, so it
// runs whenever Inngest is up, which is exactly when sending can succeed.
// One run at a time; a pass relays at most a batch, so a long backlog drains
// over a few passes instead of one step outliving its timeout.
export const relayOutboxFunction = inngest.createFunction(
  { id: "relay-outbox", name: "Relay overdue outbox events", triggers: [{ cron: "* * * * *" }], retries: 0, concurrency: 1 },
  async ({ step }) => step.run("relay overdue events", () => relayOutbox()),
);
