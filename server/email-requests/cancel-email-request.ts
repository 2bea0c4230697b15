import "server-only";
import { emailRequestClosed } from "@/lib/events";
import type { RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { closeRequest } from "@/server/email-requests/close-request";
import { AppError } from "@/server/errors";
import { metrics } from "@/server/metrics";
import { enqueue } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";

/**
 * Cancels the user's pending request: its links stop working at once and its
 * workflow is cancelled. The account is left as it was: a pending address
 * only ever lived on the request (ADR 0012).
 */
export async function cancelEmailRequest(options: { userId: string; meta: RequestMeta }): Promise<void> {
  const cancelled = await db.$transaction(async (tx) => {
    const request = await tx.emailRequest.findFirst({ where: { userId: options.userId, status: "pending" } });
    const kind = request && (await closeRequest(tx, request.id, "cancelled", options.meta));
    if (!kind) return null;
    return { kind, outbox: await enqueue(tx, emailRequestClosed.create({ requestId: request.id, reason: "cancelled" })) };
  });
  if (!cancelled) throw new AppError("NO_PENDING_REQUEST", "There is no pending email request to cancel.");
  metrics.emailRequests.inc({ kind: cancelled.kind, event: "cancelled" });
  relayAfterCommit(cancelled.outbox);
}
