import "server-only";
import { emailLinkResendRequested } from "@/lib/events";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { getPendingRequest } from "@/server/email-requests/get-pending-request";
import { presentEmailRequest } from "@/server/email-requests/present";
import { claimSend } from "@/server/email-requests/send-limits";
import { AppError } from "@/server/errors";
import { enqueue } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";

/**
 * UC07: a fresh link for the current hop of a pending request. The claim
 * enforces the cooldown and the hourly cap; the email itself goes out from
 * a workflow step (with retries), which also voids the previous link.
 */
export async function resendEmailLink(options: { userId: string; meta: RequestMeta }) {
  const request = await getPendingRequest(options.userId);
  if (!request) throw new AppError("NO_PENDING_REQUEST", "There is no pending email request to resend.");
  if (request.expiresAt <= new Date()) {
    throw new AppError("REQUEST_EXPIRED", "This request has ended. Start again from your profile.");
  }
  await queueResend(request, options.meta);
  return presentEmailRequest(await db.emailRequest.findUniqueOrThrow({ where: { id: request.id } }));
}

/** Shared by the profile's resend and the expired-link page's "send me a new link". */
export async function queueResend(request: Parameters<typeof claimSend>[0] & { userId: string }, meta: RequestMeta) {
  // The claim, its audit row and the event commit together (ADR 0016): a
  // claimed cooldown always comes with the resend that used it.
  const outbox = await db.$transaction(async (tx) => {
    await claimSend(request, tx);
    await recordAudit({ userId: request.userId, action: "email.resent", details: { requestId: request.id }, meta }, tx);
    return enqueue(tx, emailLinkResendRequested.create({ requestId: request.id }));
  });
  relayAfterCommit(outbox);
}
