import "server-only";
import { maskEmail } from "@/lib/email-address";
import { db } from "@/server/db";
import { hopPolicy, policyOf, recipientOf } from "@/server/email-requests/policy";
import { confirmUrl, newLinkToken } from "@/server/email-requests/tokens";
import { formatEmailTime, sendEmail } from "@/server/mailer";

export type SendOutcome = { sent: true; hop: "old" | "new"; hopExpiresAt: string } | { sent: false; reason: string };

/**
 * Issues a fresh link for the request's current hop and emails it. Runs
 * inside a workflow step: the token is created and sent in the same step and
 * never leaves it (not in events, not in step output). A retry after a failed
 * send issues another token and voids this one, so at most one link works.
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
  const to = recipientOf(request, hop);
  const linkExpiresAt = new Date(
    policy.requestLifetime === "follows-link"
      ? Date.now() + policy.linkLifetimeMs
      : Math.min(Date.now() + policy.linkLifetimeMs, request.expiresAt.getTime()),
  );
  const { token, tokenHash } = newLinkToken();

  await db.$transaction(async (tx) => {
    await tx.emailLink.updateMany({ where: { requestId: request.id, usedAt: null, voidedAt: null }, data: { voidedAt: new Date() } });
    await tx.emailLink.create({ data: { requestId: request.id, hop, tokenHash, sentTo: to, expiresAt: linkExpiresAt } });
    await tx.emailRequest.update({
      where: { id: request.id },
      data: {
        hopExpiresAt: linkExpiresAt,
        lastSentAt: new Date(),
        ...(policy.requestLifetime === "follows-link" && { expiresAt: linkExpiresAt }),
      },
    });
  });

  const common = { fullName: request.user.fullName, confirmUrl: confirmUrl(token), expiresAt: formatEmailTime(linkExpiresAt) };
  const template = hopPolicy(request.kind, hop).template;
  switch (template) {
    case "verify-email":
    case "confirm-change-new":
      await sendEmail({ to, template, props: { ...common, email: to } });
      break;
    case "confirm-change-old":
      await sendEmail({ to, template, props: { ...common, newEmailMasked: maskEmail(request.newEmail) } });
      break;
  }
  return { sent: true, hop, hopExpiresAt: linkExpiresAt.toISOString() };
}
