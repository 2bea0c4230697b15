import "server-only";
import { maskEmail } from "@/lib/email-address";
import { db } from "@/server/db";
import { hopPolicy, policyOf, recipientOf } from "@/server/email-requests/policy";
import { recipientCapEndsAt } from "@/server/email-requests/send-limits";
import { confirmUrl, newLinkToken } from "@/server/email-requests/tokens";
import { formatEmailTime, sendEmail } from "@/server/mailer";

export type SendOutcome = { sent: true; hop: "old" | "new"; hopExpiresAt: string } | { sent: false; reason: string };

/**
 * Issues a fresh link for the request's current hop and emails it. Runs
 * inside a workflow step: the token is created and sent in the same step and
 * never leaves it (not in events, not in step output). A retry after a failed
 * send issues another token; the failed one's row is gone, so at most one
 * link works and a failure costs the user nothing.
 */
export async function sendEmailLink(options: { requestId: string }): Promise<SendOutcome> {
  const request = await db.emailRequest.findUnique({
    where: { id: options.requestId },
    include: { user: { select: { fullName: true } } },
  });
  if (!request || request.status !== "pending" || !request.currentHop) {
    return { sent: false, reason: request ? `request is ${request.status}` : "request not found" };
  }
  const policy = policyOf(request.kind);
  const hop = request.currentHop;
  const hopPolicyOf = hopPolicy(request.kind, hop);
  const to = recipientOf(request, hop);
  const linkExpiresAt = new Date(
    policy.requestLifetime === "follows-link"
      ? Date.now() + policy.linkLifetimeMs
      : Math.min(Date.now() + policy.linkLifetimeMs, request.expiresAt.getTime()),
  );
  const { token, tokenHash } = newLinkToken();

  // Delivery truth (issue 11, item 6): the link row is written before the
  // send, so two sends racing for one recipient's cap see each other, but
  // it becomes the request's link (the older ones voided, the hop's expiry
  // and last_sent_at set) only once the SMTP server has accepted the email.
  // A refused send deletes it again: it reached nobody, so it neither counts
  // toward any limit nor replaces a link the person may already hold.
  const link = await db.$transaction(async (tx) => {
    // Issue 10, item 9: the read above may be stale. A confirm that landed
    // since (it locks the request row too) moved the hop on or completed the
    // request; a link for the finished hop would re-arm it (and tell the
    // workflow the next hop's link was sent). Re-check under the lock.
    const [now] = await tx.$queryRaw<{ status: string; current_hop: string | null }[]>`
      SELECT status::text, current_hop::text FROM email_requests WHERE id = ${request.id}::uuid FOR UPDATE`;
    if (now?.status !== "pending" || now.current_hop !== hop) return `the ${hop} hop is no longer awaited`;
    if (hopPolicyOf.toUnverifiedAddress) {
      // Issue 10, item 6: one lock per recipient address, so two accounts
      // sending to it at once cannot both pass the count.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${to}, 10))`;
      if ((await recipientCapEndsAt(to, tx)) > Date.now()) return "the recipient had its verification emails for the day";
    }
    return tx.emailLink.create({ data: { requestId: request.id, hop, tokenHash, sentTo: to, expiresAt: linkExpiresAt } });
  });
  if (typeof link === "string") return { sent: false, reason: link };

  try {
    await mailLink(request, hopPolicyOf.template, to, { confirmUrl: confirmUrl(token), expiresAt: formatEmailTime(linkExpiresAt) });
  } catch (error) {
    await db.emailLink.deleteMany({ where: { id: link.id, usedAt: null } });
    // What the profile shows until a retry (the step's, or the user's resend) gets through.
    await db.emailRequest.update({ where: { id: request.id }, data: { sendFailedAt: new Date() } });
    throw error;
  }

  await db.$transaction(async (tx) => {
    // The same lock order as above and as the confirm (request, then links).
    const [now] = await tx.$queryRaw<{ status: string; current_hop: string | null }[]>`
      SELECT status::text, current_hop::text FROM email_requests WHERE id = ${request.id}::uuid FOR UPDATE`;
    if (now?.status !== "pending" || now.current_hop !== hop) {
      // The hop ended while the email was on its way (confirmed with an
      // older link, or cancelled): this link must not re-arm it.
      await tx.emailLink.updateMany({ where: { id: link.id, usedAt: null }, data: { voidedAt: new Date() } });
      return;
    }
    await tx.emailLink.updateMany({
      where: { requestId: request.id, id: { not: link.id }, usedAt: null, voidedAt: null },
      data: { voidedAt: new Date() },
    });
    await tx.emailRequest.update({
      where: { id: request.id },
      data: {
        hopExpiresAt: linkExpiresAt,
        lastSentAt: new Date(),
        sendFailedAt: null,
        ...(policy.requestLifetime === "follows-link" && { expiresAt: linkExpiresAt }),
      },
    });
  });
  return { sent: true, hop, hopExpiresAt: linkExpiresAt.toISOString() };
}

/**
 * Mail to an address nobody has verified carries nothing the requester
 * typed (issue 10, item 6): no name; only our text, the address and the link.
 */
async function mailLink(
  request: { newEmail: string; user: { fullName: string } },
  template: "verify-email" | "confirm-change-new" | "confirm-change-old",
  to: string,
  common: { confirmUrl: string; expiresAt: string },
) {
  switch (template) {
    case "verify-email":
    case "confirm-change-new":
      return sendEmail({ to, template, props: { ...common, email: to } });
    case "confirm-change-old":
      return sendEmail({
        to,
        template: "confirm-change-old",
        props: { ...common, fullName: request.user.fullName, newEmailMasked: maskEmail(request.newEmail) },
      });
  }
}
