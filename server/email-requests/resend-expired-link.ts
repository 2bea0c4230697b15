import "server-only";
import type { ResentLink } from "@/lib/api";
import type { RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { maskEmail } from "@/lib/email-address";
import { createRequest } from "@/server/email-requests/create-request";
import { findLink, linkError } from "@/server/email-requests/link-state";
import { firstHop, policyOf, recipientOf } from "@/server/email-requests/policy";
import { queueResend } from "@/server/email-requests/resend-email-link";
import { AppError } from "@/server/errors";

const requestEnded = () => new AppError("REQUEST_EXPIRED", "This request has ended. Start again from your profile.");

/**
 * UC06: "send me a new link" from a link page, without signing in. The
 * token proves the person holds the mailbox the link went to, so the new
 * link goes to that same address and nowhere else.
 *  - a pending request within its lifetime: a fresh link for its current hop;
 *  - a request whose policy allows it (an add) that ended while its address
 *    is still the account's unverified email: a new request for that address;
 *  - anything else has ended for good.
 */
export async function resendExpiredLink(options: { token: unknown; meta: RequestMeta }): Promise<ResentLink> {
  const link = await findLink(options.token);
  if (!link) throw linkError("invalid");
  const { request } = link;
  const now = new Date();

  if (request.status === "pending" && request.expiresAt > now) {
    await queueResend(request, options.meta);
    return { sentTo: maskEmail(recipientOf(request, request.currentHop ?? firstHop(request.kind))) };
  }

  if (policyOf(request.kind).restartFromEndedLink && (request.status === "expired" || request.status === "pending")) {
    const user = await db.user.findUniqueOrThrow({ where: { id: request.userId }, select: { email: true, emailVerifiedAt: true } });
    if (user.email === request.newEmail && !user.emailVerifiedAt) {
      await createRequest({ userId: request.userId, kind: request.kind, email: request.newEmail, meta: options.meta });
      return { sentTo: maskEmail(request.newEmail) };
    }
  }
  if (request.status === "completed") throw linkError("used");
  throw requestEnded();
}
