import { inngest } from "@/inngest/client";
import { emailHopConfirmed, emailRequestClosed, emailRequested } from "@/inngest/events";
import { log } from "@/server/logger";
import { reconcileEmailRequest } from "@/server/email/reconcile-email-request";
import { sendEmailChangedNotice, sendLinkedEmail } from "@/server/email/send-completion-emails";
import { sendEmailLink } from "@/server/email/send-email-link";

// Drives one email request from its first link to its notifications.
//
//   add:    send the verification link → wait for it → "linked" email
//   change: send the OLD-address link → wait → send the NEW-address link
//           → wait → "changed" to the old address, "linked" to the new one
//
// The confirm endpoint records every confirmation in the database before it
// emits the event, so each wake-up (event or timeout) re-reads the request:
// a missed event costs a delay, never a confirmation, and resends,
// supersession and cancellation are always honoured. Step ids are stable
// phrases: renaming one breaks runs in flight.

/**
 * The wait's timeout as a duration rather than an instant, so the executor
 * measures it on its own clock (the local engine's clock can be moved
 * forward in tests). Only read when the wait is first scheduled; replays use
 * the memoized result. At least a second, so clock skew cannot spin the loop.
 */
function timeoutUntil(instant: string): number {
  return Math.max(1000, Date.parse(instant) - Date.now());
}

const LINK_STEP = { add: "send verification link", old: "send old-address link", new: "send new-address link" } as const;

export const emailRequestWorkflow = inngest.createFunction(
  {
    id: "email-request",
    name: "Email request (add or change)",
    triggers: [emailRequested],
    // A user's newer request, or their cancel, ends this run at once.
    cancelOn: [{ event: emailRequestClosed, match: "data.requestId" }],
    retries: 6,
    onFailure: async ({ event, error }) => {
      log.error("email request workflow failed; the user can still resend from the profile", {
        requestId: event.data.event.data.requestId,
        error: error.message,
      });
    },
  },
  async ({ event, step }) => {
    const { requestId } = event.data;
    let request = await step.run("read request", () => reconcileEmailRequest({ requestId }));

    for (let round = 1; request.status === "pending"; round += 1) {
      if (request.needsLink) {
        const label = request.kind === "add" ? LINK_STEP.add : LINK_STEP[request.currentHop ?? "new"];
        request = await step.run(label, async () => {
          await sendEmailLink({ requestId });
          return reconcileEmailRequest({ requestId });
        });
        if (request.status !== "pending") break;
      }
      await step.waitForEvent(`wait for confirmation ${round}`, {
        event: emailHopConfirmed,
        match: "data.requestId",
        timeout: timeoutUntil(request.waitUntil!),
      });
      request = await step.run(`re-read request ${round}`, () => reconcileEmailRequest({ requestId }));
    }

    if (request.status === "completed") {
      if (request.kind === "change") await step.run("tell old address it was replaced", () => sendEmailChangedNotice({ requestId }));
      await step.run("send linked email", () => sendLinkedEmail({ requestId }));
    }
    return { status: request.status };
  },
);
