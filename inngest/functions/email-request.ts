import type { EmailRequestKind } from "@/lib/api";
import { emailHopConfirmed, emailRequestClosed, emailRequested } from "@/lib/events";
import { hopPolicy, policyOf } from "@/server/email-requests/policy";
import { reconcileEmailRequest } from "@/server/email-requests/reconcile-email-request";
import { sendCompletionEmail } from "@/server/email-requests/send-completion-emails";
import { sendEmailLink } from "@/server/email-requests/send-email-link";
import { inngest } from "@/server/inngest";
import { log } from "@/server/logger";

// Drives one email request from its first link to its notifications.
//
//   add:    send the verification link → wait for it → "linked" email
//   change: send the OLD-address link → wait → send the NEW-address link
//           → wait → "changed" to the old address, "linked" to the new one
//
// (each kind's hops and completion emails: server/email-requests/policy.ts)
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

/**
 * Until when to wait for a link that is about to be sent: its lifetime from
 * now (plus a little, as the send starts after the wait), bounded by the
 * request's own expiry where the policy fixes one.
 */
function linkWaitUntil(request: { kind: EmailRequestKind; waitUntil: string | null }): string {
  const policy = policyOf(request.kind);
  const linkEnds = Date.now() + policy.linkLifetimeMs + 5000;
  const ends = policy.requestLifetime === "follows-link" ? linkEnds : Math.min(linkEnds, Date.parse(request.waitUntil!) + 5000);
  return new Date(ends).toISOString();
}

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
      const wait = (until: string) =>
        step.waitForEvent(`wait for confirmation ${round}`, {
          event: emailHopConfirmed,
          match: "data.requestId",
          timeout: timeoutUntil(until),
        });
      if (request.needsLink) {
        // The wait and the send are one parallel group: the engine registers
        // the wait in the same pass that schedules the send, so the wait
        // exists before the email can reach anyone, and a confirmation
        // arriving a moment after the email is never missed (issue 11,
        // item 3). The wait's timeout is the longest the link being sent can
        // live; a wait that ends before a shorter link's expiry only costs
        // one more round. Step ids are the ones used before, in the same
        // order, so runs in flight replay unchanged.
        const { sendStepId } = hopPolicy(request.kind, request.currentHop!);
        const [, sent] = await Promise.all([
          wait(linkWaitUntil(request)),
          step.run(sendStepId, async () => {
            await sendEmailLink({ requestId });
            return reconcileEmailRequest({ requestId });
          }),
        ]);
        if (sent.status !== "pending") {
          request = sent;
          break;
        }
      } else {
        await wait(request.waitUntil!);
      }
      request = await step.run(`re-read request ${round}`, () => reconcileEmailRequest({ requestId }));
    }

    if (request.status === "completed") {
      for (const { email, stepId } of policyOf(request.kind).completionEmails) {
        await step.run(stepId, () => sendCompletionEmail({ requestId, email }));
      }
    }
    return { status: request.status };
  },
);
