import "server-only";
import type { ResentLink } from "@/lib/api";
import type { RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { maskEmail } from "@/lib/email-address";
import { createRequest } from "@/server/email-requests/create-request";
import { readExpiredLinkTicket } from "@/server/email-requests/expired-link-ticket";
import { findLink, linkError } from "@/server/email-requests/link-state";
import { hopPolicy, policyOf, recipientOf } from "@/server/email-requests/policy";
import { queueResend } from "@/server/email-requests/resend-email-link";
import { AppError } from "@/server/errors";

const requestEnded = () => new AppError("REQUEST_EXPIRED", "This request has ended. Start again from your profile.");

/**
 * UC06: "send me a new link" from a link page, without signing in. The
 * token proves the person holds the mailbox the link went to, so the new
 * link goes to that same address and nowhere else. Only the request's latest
 * link counts (issue 10, item 9): an older one was replaced, and a link of a
 * finished hop proves nothing about the hop now awaited.
 *  - a pending request within its lifetime: a fresh link for its current hop;
 *  - an expired request whose policy allows it (an add), still the user's
 *    latest: a new request for that address (createRequest checks this under
 *    the user's lock);
 *  - anything else has ended for good: cancelled, superseded, failed or
 *    completed requests are never revived.
 * The link is named by its token (the JSON API) or by the expired-link
 * page's ticket (expired-link-ticket.ts), which stands for the same link.
 */
export async function resendExpiredLink(options: ({ token: unknown } | { ticket: unknown }) & { meta: RequestMeta }): Promise<ResentLink> {
  const link = "ticket" in options ? await findLinkByTicket(options.ticket) : await findLink(options.token);
  if (!link) throw linkError("invalid");
  const { request } = link;
  const refusal = await newLinkRefusal(link);
  if (refusal) throw refusal;

  if (request.status === "pending" && request.expiresAt > new Date()) {
    await queueResend(request, options.meta);
    return { sentTo: maskEmail(recipientOf(request, link.hop)) };
  }
  await createRequest({
    userId: request.userId,
    email: request.newEmail,
    meta: options.meta,
    addressCheck: "at-confirmation",
    restartOf: request,
  });
  return { sentTo: maskEmail(request.newEmail) };
}

type FoundLink = NonNullable<Awaited<ReturnType<typeof findLink>>>;

async function findLinkByTicket(ticket: unknown): Promise<FoundLink | null> {
  const linkId = readExpiredLinkTicket(ticket);
  return linkId ? db.emailLink.findUnique({ where: { id: linkId }, include: { request: true } }) : null;
}

/** Why "send me a new link" cannot work from this link (null when it can): what the expired-link page shows before anyone presses it. */
export async function newLinkRefusal(link: FoundLink): Promise<AppError | null> {
  const { request } = link;
  if (link.usedAt || request.status === "completed" || request.status === "failed") return linkError("used");
  const latest = await db.emailLink.findFirst({ where: { requestId: request.id }, orderBy: { createdAt: "desc" }, select: { id: true } });
  if (latest?.id !== link.id) return linkError("superseded");
  if (request.status === "pending" && request.expiresAt > new Date())
    return link.hop === request.currentHop ? null : linkError("superseded");
  if (request.status !== "expired" && request.status !== "pending") return requestEnded();
  // An ended request starts again only where its policy allows (an add; createRequest checks the rest under the user's lock).
  return policyOf(request.kind).restartFromExpiredLink ? null : requestEnded();
}

export type ExpiredLinkView =
  | { state: "invalid" }
  | {
      state: "expired" | "ended";
      step: ReturnType<typeof hopPolicy>["step"];
      /** Where the expired link went, masked: where a new one would go. */
      sentTo: string;
      /** For "ended": why no new link can be sent from here. */
      reason?: { code: string; message: string };
    };

/** UC06: what the expired-link page shows for its ticket. */
export async function getExpiredLink(ticket: unknown): Promise<ExpiredLinkView> {
  const link = await findLinkByTicket(ticket);
  if (!link) return { state: "invalid" };
  const refusal = await newLinkRefusal(link);
  const base = { step: hopPolicy(link.request.kind, link.hop).step, sentTo: maskEmail(link.sentTo) };
  if (!refusal) return { state: "expired", ...base };
  return { state: "ended", ...base, reason: { code: refusal.code, message: refusal.message } };
}
