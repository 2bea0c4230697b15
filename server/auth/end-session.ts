import "server-only";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db } from "@/server/db";

/**
 * Sign-out: ends this one session on the server, so a copy of its cookie
 * (another tab, a stolen token) stops working too, not only the cookie the
 * browser deletes. Ending an already-ended or unknown session does nothing.
 */
export async function endSession(options: { sessionId: string; userId: string; meta: RequestMeta }): Promise<boolean> {
  const { sessionId, userId, meta } = options;
  const ended = await db.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { id: sessionId, userId, endedAt: null },
      data: { endedAt: new Date(), endReason: "signed_out" },
    });
    if (count === 1) await recordAudit({ userId, action: "auth.signed_out", details: { sessionId }, meta }, tx);
    return count === 1;
  });
  return ended;
}
