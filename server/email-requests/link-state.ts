import "server-only";
import { db, type Tx } from "@/server/db";
import type { EmailStep } from "@/lib/api";
import { maskEmail } from "@/lib/email-address";
import { issueExpiredLinkTicket } from "@/server/email-requests/expired-link-ticket";
import { hopPolicy } from "@/server/email-requests/policy";
import { hashLinkToken, isWellFormedToken } from "@/server/email-requests/tokens";
import { AppError } from "@/server/errors";
import type { EmailLink, EmailRequest } from "@/server/generated/prisma/client";

// What a link is right now, as a value every page and endpoint can render.
// Opening a link (GET) only ever reads this; it never changes anything.

export type LinkStateName = "valid" | "expired" | "used" | "superseded" | "cancelled" | "invalid";

export type LinkState =
  | { state: "invalid" }
  | {
      state: Exclude<LinkStateName, "invalid">;
      /** What confirming this link does: verify an added address, or step 1 or 2 of a change. */
      step: EmailStep;
      /** Where this link was sent, masked. */
      sentTo: string;
      /** The address being verified or changed to, masked. */
      newEmail: string;
      expiresAt: string;
      /** Confirming needs the owner's session too (ADR 0018)… */
      needsOwnerSession: boolean;
      /** …and the person looking is signed in as the owner. */
      signedInAsOwner: boolean;
      /** Whether someone is signed in at all (to say "a different account"). */
      signedIn: boolean;
      /** For an expired link: the expired-link page's reference (never the token). */
      ticket?: string;
    };

export function stateOf(link: EmailLink, request: EmailRequest, now = new Date()): Exclude<LinkStateName, "invalid"> {
  if (link.usedAt) return "used";
  switch (request.status) {
    case "cancelled":
      return "cancelled";
    case "superseded":
      return "superseded";
    case "completed":
    case "failed":
      return "used";
    case "expired":
      return "expired";
    case "pending":
      if (link.voidedAt) return "superseded"; // a newer link of the same request replaced it
      if (link.expiresAt <= now || request.expiresAt <= now) return "expired";
      return "valid";
  }
}

export async function findLink(token: unknown, tx: Tx = db) {
  if (!isWellFormedToken(token)) return null;
  return tx.emailLink.findUnique({ where: { tokenHash: hashLinkToken(token) }, include: { request: true } });
}

/** What a link is, for the landing page; `signedInUserId` is the session of whoever is looking (null without one). */
export async function getLinkState(token: unknown, signedInUserId: string | null = null): Promise<LinkState> {
  const link = await findLink(token);
  if (!link) return { state: "invalid" };
  return describeLink(link, signedInUserId);
}

export function describeLink(link: EmailLink & { request: EmailRequest }, signedInUserId: string | null): LinkState {
  const state = stateOf(link, link.request);
  const policy = hopPolicy(link.request.kind, link.hop);
  return {
    state,
    step: policy.step,
    sentTo: maskEmail(link.sentTo),
    newEmail: maskEmail(link.request.newEmail),
    expiresAt: link.expiresAt.toISOString(),
    needsOwnerSession: policy.needsOwnerSession,
    signedInAsOwner: signedInUserId === link.request.userId,
    signedIn: signedInUserId !== null,
    ...(state === "expired" && { ticket: issueExpiredLinkTicket(link.id) }),
  };
}

/** The expired-link page's reference for a token, if the token is a link that has expired. */
export async function expiredLinkTicketFor(token: unknown): Promise<string | null> {
  const link = await findLink(token);
  return link && stateOf(link, link.request) === "expired" ? issueExpiredLinkTicket(link.id) : null;
}

/** The API error for a link that cannot be confirmed. */
export function linkError(state: Exclude<LinkStateName, "valid">): AppError {
  switch (state) {
    case "used":
      return new AppError("LINK_USED", "This link has already been used.");
    case "expired":
      return new AppError("LINK_EXPIRED", "This link has expired. Ask for a new one.");
    case "superseded":
      return new AppError("LINK_SUPERSEDED", "A newer link was sent; this one no longer works. Use the latest email.");
    case "cancelled":
      return new AppError("LINK_CANCELLED", "This request was cancelled.");
    case "invalid":
      return new AppError("LINK_INVALID", "This link is not valid. Check that you opened the whole link.");
  }
}
