import "server-only";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db } from "@/server/db";

/**
 * "Sign out everywhere": ends every live session of the user, this browser's
 * too. For a user who suspects someone else is signed in to their account.
 */
export async function endAllSessions(options: { user: { id: string }; meta: RequestMeta }): Promise<{ ended: number }> {
  const { user, meta } = options;
  return db.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { userId: user.id, endedAt: null },
      data: { endedAt: new Date(), endReason: "signed_out_everywhere" },
    });
    await recordAudit({ userId: user.id, action: "auth.signed_out_everywhere", details: { sessions: count }, meta }, tx);
    return { ended: count };
  });
}
