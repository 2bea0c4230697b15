import "server-only";
import { db, type Tx } from "@/server/db";
import { rateLimited } from "@/server/email-requests/errors";
import { cooldownStart, hopPolicy, hopsToUnverifiedAddresses, recipientOf } from "@/server/email-requests/policy";
import { rules } from "@/lib/rules";
import type { EmailRequestKind, Hop } from "@/lib/api";

// UC07's limits: a cooldown between two sends of one request, and a cap on
// sends per request (and per user) in any sliding hour. Every link row is one
// send, so the links table is the counter.

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

type Sendable = {
  id: string;
  lastSentAt: Date | null;
  kind?: EmailRequestKind;
  currentHop?: Hop | null;
  oldEmail?: string | null;
  newEmail?: string;
  createdAt?: Date;
  oldConfirmedAt?: Date | null;
};

/**
 * Issue 10, item 6: when the next verification email to this address may go
 * out (now or later), counting links to unverified addresses from every
 * account. Links to an account's own verified address (a change's old hop)
 * are not counted.
 */
export async function recipientCapEndsAt(address: string, tx: Tx = db): Promise<number> {
  const now = Date.now();
  const recent = await tx.emailLink.findMany({
    where: { sentTo: address, hop: { in: [...hopsToUnverifiedAddresses] }, createdAt: { gt: new Date(now - DAY) } },
    orderBy: { createdAt: "desc" },
    take: rules.maxVerificationEmailsPerRecipientPerDay,
    select: { createdAt: true },
  });
  return recent.length >= rules.maxVerificationEmailsPerRecipientPerDay ? recent.at(-1)!.createdAt.getTime() + DAY : now;
}

/** When the next email of this request may go out (now or later). */
export async function nextSendAllowedAt(request: Sendable, tx: Tx = db): Promise<Date> {
  const now = Date.now();
  const since = cooldownStart(request);
  const cooldownEnds = since ? since.getTime() + rules.resendCooldownMs : now;
  const recent = await tx.emailLink.findMany({
    where: { requestId: request.id, createdAt: { gt: new Date(now - HOUR) } },
    orderBy: { createdAt: "desc" },
    take: rules.maxSendsPerHour,
    select: { createdAt: true },
  });
  const capEnds = recent.length >= rules.maxSendsPerHour ? recent.at(-1)!.createdAt.getTime() + HOUR : now;
  const { kind, currentHop } = request;
  const recipientEnds =
    kind && currentHop && request.newEmail !== undefined && hopPolicy(kind, currentHop).toUnverifiedAddress
      ? await recipientCapEndsAt(recipientOf({ oldEmail: request.oldEmail ?? null, newEmail: request.newEmail }, currentHop), tx)
      : now;
  return new Date(Math.max(now, cooldownEnds, capEnds, recipientEnds));
}

/**
 * Claims the right to send the request's next email, or throws RATE_LIMITED.
 * The claim is a conditional update of last_sent_at, so two resends racing
 * each other cannot both pass the cooldown.
 */
export async function claimSend(request: Sendable, tx: Tx = db): Promise<void> {
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
