import "server-only";
import type { RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { maskEmail } from "@/server/email/address";
import { createRequest } from "@/server/email/create-request";
import { findLink, linkError } from "@/server/email/link-state";
import { queueResend } from "@/server/email/resend-email-link";
import { AppError } from "@/server/errors";

const requestEnded = () => new AppError("REQUEST_EXPIRED", "This request has ended. Start again from your profile.");

/**
 * UC06: "send me a new link" from a link page, without signing in. The
 * token proves the person holds the mailbox the link went to, so the new
 * link goes to that same address and nowhere else.
 *  - a change still within its 24 hours: a fresh link for its current hop;
 *  - an add whose link expired while the address is still the account's
 *    unverified email: a new verification request for that address;
 *  - anything else has ended for good.
 */
export async function resendExpiredLink(options: { token: unknown; meta: RequestMeta }): Promise<{ sentTo: string }> {
  const link = await findLink(options.token);
  if (!link) throw linkError("invalid");
  const { request } = link;
  const now = new Date();

  if (request.status === "pending" && request.expiresAt > now) {
    await queueResend(request, options.meta);
    const address = request.currentHop === "old" ? request.oldEmail! : request.newEmail;
    return { sentTo: maskEmail(address) };
  }

  if (request.kind === "add" && (request.status === "expired" || request.status === "pending")) {
    const user = await db.user.findUniqueOrThrow({ where: { id: request.userId }, select: { email: true, emailVerifiedAt: true } });
    if (user.email === request.newEmail && !user.emailVerifiedAt) {
      await createRequest({ userId: request.userId, kind: "add", email: request.newEmail, meta: options.meta });
      return { sentTo: maskEmail(request.newEmail) };
    }
  }
  if (request.status === "completed") throw linkError("used");
  throw requestEnded();
}
