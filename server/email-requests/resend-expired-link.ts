import "server-only";
import type { ResentLink } from "@/lib/api";
import type { RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { maskEmail } from "@/lib/email-address";
import { createRequest } from "@/server/email-requests/create-request";
import { findLink, linkError } from "@/server/email-requests/link-state";
import { recipientOf } from "@/server/email-requests/policy";
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
 */
export async function resendExpiredLink(options: { token: unknown; meta: RequestMeta }): Promise<ResentLink> {
  const link = await findLink(options.token);
  if (!link) throw linkError("invalid");
  const { request } = link;
  if (link.usedAt || request.status === "completed" || request.status === "failed") throw linkError("used");

  const latest = await db.emailLink.findFirst({ where: { requestId: request.id }, orderBy: { createdAt: "desc" }, select: { id: true } });
  if (latest?.id !== link.id) throw linkError("superseded");

  if (request.status === "pending" && request.expiresAt > new Date()) {
    if (link.hop !== request.currentHop) throw linkError("superseded");
    await queueResend(request, options.meta);
    return { sentTo: maskEmail(recipientOf(request, link.hop)) };
  }
  if (request.status !== "expired" && request.status !== "pending") throw requestEnded();
  await createRequest({
    userId: request.userId,
    email: request.newEmail,
    meta: options.meta,
    addressCheck: "at-confirmation",
    restartOf: request,
  });
  return { sentTo: maskEmail(request.newEmail) };
}
