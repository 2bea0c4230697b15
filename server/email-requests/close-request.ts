import "server-only";
import type { EmailRequestKind } from "@/lib/api";
import type { Tx } from "@/server/db";
import { recordAudit, type RequestMeta } from "@/server/audit";

/**
 * Ends a pending request early and voids its unused links, inside the
 * caller's transaction. Answers the request's kind (for the caller's metrics,
 * recorded once the transaction commits), or false when it was not pending.
 */
export async function closeRequest(
  tx: Tx,
  requestId: string,
  status: "cancelled" | "superseded" | "expired",
  meta?: RequestMeta,
): Promise<EmailRequestKind | false> {
  const now = new Date();
  const closed = await tx.emailRequest.updateMany({
    where: { id: requestId, status: "pending" },
    data: { status, currentHop: null, closedAt: now },
  });
  if (closed.count === 0) return false;
  await tx.emailLink.updateMany({ where: { requestId, usedAt: null, voidedAt: null }, data: { voidedAt: now } });
  const request = await tx.emailRequest.findUniqueOrThrow({ where: { id: requestId }, select: { userId: true, kind: true } });
  await recordAudit({ userId: request.userId, action: `email.${status}`, details: { requestId }, meta }, tx);
  return request.kind;
}
