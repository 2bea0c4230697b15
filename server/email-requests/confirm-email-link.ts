import "server-only";
import type { ConfirmOutcome, EmailRequestKind } from "@/lib/api";
import { maskEmail } from "@/lib/email-address";
import { emailHopConfirmed } from "@/lib/events";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db, type Tx } from "@/server/db";
import { linkError, stateOf } from "@/server/email-requests/link-state";
import { hopPolicy, nextHop, policyOf, recipientOf } from "@/server/email-requests/policy";
import { hashLinkToken, isWellFormedToken } from "@/server/email-requests/tokens";
import { AppError, isAppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { metrics } from "@/server/metrics";
import { enqueue } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";

/** What the API answers, and who it concerns (the route keeps a changing user's session). */
export type Confirmed = ConfirmOutcome & { userId: string; sessionVersion?: number };

class AddressTakenAtCommit extends Error {}

/**
 * Consumes a link and records what it confirms, with the event that wakes
 * the workflow, in one transaction. The token is consumed by a conditional update that
 * must affect exactly one row: of any number of concurrent confirms of one
 * token, exactly one wins and the others see the link as used.
 *
 * `signedInUserId` is the session of the person confirming (null without
 * one), or a function that looks it up: a hop whose policy says
 * `needsOwnerSession` (the old address of a change) is refused unless it is
 * the request's owner (ADR 0018). The lookup runs only for such a hop, so the
 * other confirms (and every invalid token) cost no session check.
 */
export async function confirmEmailLink(options: ConfirmOptions): Promise<Confirmed> {
  try {
    const confirmed = await confirm(options);
    metrics.linkConfirmations.inc({ outcome: confirmed.outcome });
    return confirmed;
  } catch (error) {
    // The error code is the outcome (LINK_EXPIRED, LINK_USED, …); anything unexpected is INTERNAL.
    metrics.linkConfirmations.inc({ outcome: isAppError(error) ? error.code : "INTERNAL" });
    throw error;
  }
}

type ConfirmOptions = {
  token: unknown;
  meta: RequestMeta;
  signedInUserId?: string | null | (() => Promise<string | null>);
};

async function confirm(options: ConfirmOptions): Promise<Confirmed> {
  if (!isWellFormedToken(options.token)) throw linkError("invalid");
  const tokenHash = hashLinkToken(options.token);
  // A token no link carries is answered from one indexed read, without the
  // transaction (five statements) a real link needs: guessed or mangled
  // tokens are the cheap case, not the expensive one. A link's row exists
  // before its token is ever sent, so a token cannot become known while its
  // row is still being written.
  const known = await db.emailLink.findUnique({ where: { tokenHash }, select: { id: true } });
  if (!known) throw linkError("invalid");

  let result: Confirmed & { requestId: string; hop: "old" | "new"; kind: EmailRequestKind; outbox: string[] };
  try {
    result = await db.$transaction(async (tx) => {
      const confirmed = await consume(tx, tokenHash, options.meta, options.signedInUserId ?? null);
      // The wake-up commits with the confirmation it announces (ADR 0016).
      const outbox = await enqueue(tx, emailHopConfirmed.create({ requestId: confirmed.requestId, hop: confirmed.hop }));
      return { ...confirmed, outbox };
    });
  } catch (error) {
    if (error instanceof AddressTakenAtCommit || isUniqueViolation(error)) {
      const failed = await failRequest(tokenHash, options.meta);
      if (failed) metrics.emailRequests.inc({ kind: failed, event: "failed" });
      throw new AppError("EMAIL_TAKEN", "Another account confirmed this address first, so it was not linked to yours.");
    }
    throw error;
  }

  relayAfterCommit(result.outbox);
  // The request is complete once its last hop is confirmed (old-confirmed is a step on the way).
  if (result.outcome !== "old-confirmed") metrics.emailRequests.inc({ kind: result.kind, event: "confirmed" });
  const { requestId: _requestId, hop: _hop, kind: _kind, outbox: _outbox, ...outcome } = result;
  return outcome;
}

async function consume(tx: Tx, tokenHash: string, meta: RequestMeta, signedIn: string | null | (() => Promise<string | null>)) {
  const now = new Date();
  // The request first, then its links: the same order as sendEmailLink, so a
  // confirm and a resend of one request serialise instead of deadlocking.
  await tx.$queryRaw`SELECT r.id FROM email_requests r JOIN email_links l ON l.request_id = r.id WHERE l.token_hash = ${tokenHash} FOR UPDATE OF r`;
  const consumed = await tx.emailLink.updateMany({
    where: {
      tokenHash,
      usedAt: null,
      voidedAt: null,
      expiresAt: { gt: now },
      request: { status: "pending", expiresAt: { gt: now } },
    },
    data: { usedAt: now },
  });
  const link = await tx.emailLink.findUnique({ where: { tokenHash }, include: { request: { include: { user: true } } } });
  if (!link) throw linkError("invalid");
  if (consumed.count !== 1) {
    const state = stateOf(link, link.request, now);
    throw linkError(state === "valid" ? "used" : state);
  }
  const { request } = link;
  const { user } = request;
  if (link.hop !== request.currentHop) throw linkError("superseded");
  // Thrown inside the transaction: the link's usedAt rolls back, so a refused
  // confirm changes nothing and the owner can still use the same link.
  if (hopPolicy(request.kind, link.hop).needsOwnerSession) {
    const signedInUserId = typeof signedIn === "function" ? await signedIn() : signedIn;
    if (signedInUserId !== user.id) throw ownerSessionRequired(signedInUserId);
  }
  const audit = (action: "email.verified" | "email.hop_confirmed" | "email.changed") =>
    recordAudit({ userId: user.id, action, details: { requestId: request.id, hop: link.hop }, meta }, tx);
  const confirmed = { userId: user.id, requestId: request.id, hop: link.hop, kind: request.kind };

  const next = nextHop(request.kind, link.hop);
  if (next) {
    // The next hop's link goes out from the workflow once it sees this.
    await tx.emailRequest.update({
      where: { id: request.id },
      data: { currentHop: next, oldConfirmedAt: now, hopExpiresAt: null, lastSentAt: null },
    });
    await audit("email.hop_confirmed");
    return { ...confirmed, outcome: "old-confirmed" as const, nextSentTo: maskEmail(recipientOf(request, next)) };
  }

  // Uniqueness is decided here, at confirmation (ADR 0012): the address is
  // checked again, and the unique index settles a race with another account
  // confirming the same address at the same moment (its commit wins, this
  // update fails with a unique violation).
  const holder = await tx.user.findUnique({ where: { email: request.newEmail }, select: { id: true } });
  if (holder && holder.id !== user.id) throw new AddressTakenAtCommit();
  const { outcome, audit: action, endsOtherSessions } = policyOf(request.kind).completion;
  // The account must still have the address the request started from (none
  // for an add); anything else means a later request took over.
  const applied = await tx.user.updateMany({
    where: { id: user.id, email: request.oldEmail },
    data: { email: request.newEmail, emailVerifiedAt: now, ...(endsOtherSessions && { sessionVersion: { increment: 1 } }) },
  });
  if (applied.count !== 1) throw linkError("superseded");
  await tx.emailRequest.update({ where: { id: request.id }, data: { status: "completed", currentHop: null, closedAt: now } });
  await audit(action);
  if (outcome === "verified") return { ...confirmed, outcome };
  // A new session version ends every other session of the user; the route keeps this one.
  const { sessionVersion } = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { sessionVersion: true } });
  return { ...confirmed, outcome, sessionVersion };
}

/** ADR 0018: the old address's hop is approved by its link and the owner's session together. */
export function ownerSessionRequired(signedInUserId: string | null): AppError {
  return new AppError(
    "OWNER_SESSION_REQUIRED",
    signedInUserId
      ? "You are signed in to a different account. Sign in to the account this change belongs to, then approve it."
      : "Sign in to the account this change belongs to, then approve it. Opening the link alone cannot approve a change.",
  );
}

/**
 * The address could not be applied: the link is spent and the request ends as failed; the account is untouched.
 * Answers the kind of the request it failed (false if it was no longer pending).
 */
async function failRequest(tokenHash: string, meta: RequestMeta): Promise<EmailRequestKind | false> {
  return db.$transaction(async (tx) => {
    const link = await findLinkByHash(tx, tokenHash);
    if (!link) return false;
    const now = new Date();
    await tx.emailLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
    const failed = await tx.emailRequest.updateMany({
      where: { id: link.requestId, status: "pending" },
      data: { status: "failed", currentHop: null, closedAt: now },
    });
    await recordAudit(
      { userId: link.request.userId, action: "email.change_failed", details: { requestId: link.requestId, reason: "address taken" }, meta },
      tx,
    );
    return failed.count === 1 && link.request.kind;
  });
}

const findLinkByHash = (tx: Tx, tokenHash: string) =>
  tx.emailLink.findUnique({ where: { tokenHash }, include: { request: { select: { userId: true, kind: true } } } });

function isUniqueViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
