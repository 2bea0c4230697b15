import "server-only";
import { emailRequestClosed } from "@/lib/events";
import type { RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { closeRequest } from "@/server/email-requests/close-request";
import { policyOf } from "@/server/email-requests/policy";
import { AppError } from "@/server/errors";
import { publish } from "@/server/publish";

/**
 * Cancels the user's pending request: its links stop working at once and its
 * workflow is cancelled. An address the request held (an add) leaves the
 * account; a change leaves the verified address as it was.
 */
export async function cancelEmailRequest(options: { userId: string; meta: RequestMeta }): Promise<void> {
  const cancelled = await db.$transaction(async (tx) => {
    const request = await tx.emailRequest.findFirst({ where: { userId: options.userId, status: "pending" } });
    if (!request || !(await closeRequest(tx, request.id, "cancelled", options.meta))) return null;
    if (policyOf(request.kind).holdsAddress) {
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
