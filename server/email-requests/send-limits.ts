import "server-only";
import { db, type Tx } from "@/server/db";
import { rateLimited } from "@/server/email-requests/errors";
import { rules } from "@/lib/rules";

// UC07's limits: a cooldown between two sends of one request, and a cap on
// sends per request (and per user) in any sliding hour. Every link row is one
// send, so the links table is the counter.

const HOUR = 60 * 60 * 1000;

/** When the next email of this request may go out (now or later). */
export async function nextSendAllowedAt(request: { id: string; lastSentAt: Date | null }, tx: Tx = db): Promise<Date> {
  const now = Date.now();
  const cooldownEnds = request.lastSentAt ? request.lastSentAt.getTime() + rules.resendCooldownMs : now;
  const recent = await tx.emailLink.findMany({
    where: { requestId: request.id, createdAt: { gt: new Date(now - HOUR) } },
    orderBy: { createdAt: "desc" },
    take: rules.maxSendsPerHour,
    select: { createdAt: true },
  });
  const capEnds = recent.length >= rules.maxSendsPerHour ? recent.at(-1)!.createdAt.getTime() + HOUR : now;
  return new Date(Math.max(now, cooldownEnds, capEnds));
}

/**
 * Claims the right to send the request's next email, or throws RATE_LIMITED.
 * The claim is a conditional update of last_sent_at, so two resends racing
 * each other cannot both pass the cooldown.
 */
export async function claimSend(request: { id: string; lastSentAt: Date | null }, tx: Tx = db): Promise<void> {
  const allowedAt = await nextSendAllowedAt(request, tx);
  const wait = allowedAt.getTime() - Date.now();
  if (wait > 0) throw rateLimited(wait);
  const claimed = await tx.emailRequest.updateMany({
    where: {
      id: request.id,
      status: "pending",
      OR: [{ lastSentAt: null }, { lastSentAt: { lte: new Date(Date.now() - rules.resendCooldownMs) } }],
    },
    data: { lastSentAt: new Date() },
  });
  if (claimed.count !== 1) throw rateLimited(rules.resendCooldownMs);
}

/** Starting new requests must not become a way around the per-request cap. */
export async function assertUserCanReceiveEmail(userId: string, tx: Tx = db): Promise<void> {
  const now = Date.now();
  const recent = await tx.emailLink.findMany({
    where: { request: { userId }, createdAt: { gt: new Date(now - HOUR) } },
    orderBy: { createdAt: "desc" },
    take: rules.maxSendsPerUserPerHour,
    select: { createdAt: true },
  });
  if (recent.length >= rules.maxSendsPerUserPerHour) {
    throw rateLimited(recent.at(-1)!.createdAt.getTime() + HOUR - now, "You have asked for too many emails. Try again later.");
  }
}
