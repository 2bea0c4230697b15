import "server-only";
import type { ConfirmOutcome } from "@/lib/api";
import { maskEmail } from "@/lib/email-address";
import { emailHopConfirmed } from "@/lib/events";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db, type Tx } from "@/server/db";
import { linkError, stateOf } from "@/server/email-requests/link-state";
import { nextHop, policyOf, recipientOf } from "@/server/email-requests/policy";
import { hashLinkToken, isWellFormedToken } from "@/server/email-requests/tokens";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { publish } from "@/server/publish";

/** What the API answers, and who it concerns (the route keeps a changing user's session). */
export type Confirmed = ConfirmOutcome & { userId: string; sessionVersion?: number };

class AddressTakenAtCommit extends Error {}

/**
 * Consumes a link and records what it confirms, in one transaction, then
 * wakes the workflow. The token is consumed by a conditional update that
 * must affect exactly one row: of any number of concurrent confirms of one
 * token, exactly one wins and the others see the link as used.
 */
export async function confirmEmailLink(options: { token: unknown; meta: RequestMeta }): Promise<Confirmed> {
  if (!isWellFormedToken(options.token)) throw linkError("invalid");
  const tokenHash = hashLinkToken(options.token);

  let result: Confirmed & { requestId: string; hop: "old" | "new" };
  try {
    result = await db.$transaction((tx) => consume(tx, tokenHash, options.meta));
  } catch (error) {
    if (error instanceof AddressTakenAtCommit || isUniqueViolation(error)) {
      await failRequest(tokenHash, options.meta);
      throw new AppError(
        "EMAIL_TAKEN",
        "Another account started using this address before you confirmed it, so your email was not changed.",
      );
    }
    throw error;
  }

  await publish(emailHopConfirmed.create({ requestId: result.requestId, hop: result.hop }));
  const { requestId: _requestId, hop: _hop, ...outcome } = result;
  return outcome;
}

async function consume(tx: Tx, tokenHash: string, meta: RequestMeta) {
  const now = new Date();
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
  const audit = (action: "email.verified" | "email.hop_confirmed" | "email.changed") =>
    recordAudit({ userId: user.id, action, details: { requestId: request.id, hop: link.hop }, meta }, tx);
  const confirmed = { userId: user.id, requestId: request.id, hop: link.hop };

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

  const completed = { status: "completed" as const, currentHop: null, closedAt: now };
  switch (policyOf(request.kind).completion) {
    case "verify-held-address": {
      // The address must still be the account's: a later request would have superseded this one.
      const verified = await tx.user.updateMany({ where: { id: user.id, email: request.newEmail }, data: { emailVerifiedAt: now } });
      if (verified.count !== 1) throw linkError("superseded");
      await tx.emailRequest.update({ where: { id: request.id }, data: completed });
      await audit("email.verified");
      return { ...confirmed, outcome: "verified" as const };
    }
    case "replace-address": {
      // The address is checked again at commit, and the unique index
      // settles any race with another account committing the same address.
      const holder = await tx.user.findUnique({ where: { email: request.newEmail }, select: { id: true } });
      if (holder && holder.id !== user.id) throw new AddressTakenAtCommit();
      // A new session version ends every other session of the user.
      const changed = await tx.user.update({
        where: { id: user.id },
        data: { email: request.newEmail, emailVerifiedAt: now, sessionVersion: { increment: 1 } },
        select: { sessionVersion: true },
      });
      await tx.emailRequest.update({ where: { id: request.id }, data: completed });
      await audit("email.changed");
      return { ...confirmed, outcome: "changed" as const, sessionVersion: changed.sessionVersion };
    }
  }
}

/** The change could not be applied: the link is spent and the request ends as failed; the account is untouched. */
async function failRequest(tokenHash: string, meta: RequestMeta) {
  await db.$transaction(async (tx) => {
    const link = await findLinkByHash(tx, tokenHash);
    if (!link) return;
    const now = new Date();
    await tx.emailLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
    await tx.emailRequest.updateMany({
      where: { id: link.requestId, status: "pending" },
      data: { status: "failed", currentHop: null, closedAt: now },
    });
    await recordAudit(
      { userId: link.request.userId, action: "email.change_failed", details: { requestId: link.requestId, reason: "address taken" }, meta },
      tx,
    );
  });
}

const findLinkByHash = (tx: Tx, tokenHash: string) =>
  tx.emailLink.findUnique({ where: { tokenHash }, include: { request: { select: { userId: true } } } });

function isUniqueViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
