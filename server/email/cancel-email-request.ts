import "server-only";
import { emailRequestClosed } from "@/inngest/events";
import { db } from "@/server/db";
import { closeRequest } from "@/server/email/close-request";
import { AppError } from "@/server/errors";
import { publish } from "@/server/events";

/**
 * Cancels the user's pending request: its links stop working at once and its
 * workflow is cancelled. Cancelling an add also removes the still-unverified
 * address from the account; a change leaves the verified address as it was.
 */
export async function cancelEmailRequest(options: { userId: string }) {
  const cancelled = await db.$transaction(async (tx) => {
    const request = await tx.emailRequest.findFirst({ where: { userId: options.userId, status: "pending" } });
    if (!request || !(await closeRequest(tx, request.id, "cancelled"))) return null;
    if (request.kind === "add") {
      await tx.user.updateMany({
        where: { id: options.userId, email: request.newEmail, emailVerifiedAt: null },
        data: { email: null },
      });
    }
    return request;
  });
  if (!cancelled) throw new AppError("NO_PENDING_REQUEST", "There is no pending email request to cancel.");
  await publish(emailRequestClosed.create({ requestId: cancelled.id, reason: "cancelled" }));
}
