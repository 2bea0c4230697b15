import "server-only";
import { db } from "@/server/db";
import { maskEmail } from "@/server/email/address";
import { confirmUrl, newLinkToken } from "@/server/email/tokens";
import { formatEmailTime, sendEmail } from "@/server/mailer";
import { rules } from "@/server/rules";

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
  const hop = request.currentHop;
  const to = hop === "old" ? request.oldEmail! : request.newEmail;
  const now = Date.now();
  const lifetime = request.kind === "add" ? rules.addLinkLifetimeMs : rules.changeHopLifetimeMs;
  // A change's links never outlive the change itself; an add's link is the request.
  const linkExpiresAt = new Date(request.kind === "add" ? now + lifetime : Math.min(now + lifetime, request.expiresAt.getTime()));
  const { token, tokenHash } = newLinkToken();

  await db.$transaction(async (tx) => {
    await tx.emailLink.updateMany({ where: { requestId: request.id, usedAt: null, voidedAt: null }, data: { voidedAt: new Date() } });
    await tx.emailLink.create({ data: { requestId: request.id, hop, tokenHash, sentTo: to, expiresAt: linkExpiresAt } });
    await tx.emailRequest.update({
      where: { id: request.id },
      data: {
        hopExpiresAt: linkExpiresAt,
        lastSentAt: new Date(),
        ...(request.kind === "add" && { expiresAt: linkExpiresAt }),
      },
    });
  });

  const common = { fullName: request.user.fullName, confirmUrl: confirmUrl(token), expiresAt: formatEmailTime(linkExpiresAt) };
  if (request.kind === "add") {
    await sendEmail({ to, template: "verify-email", props: { ...common, email: to } });
  } else if (hop === "old") {
    await sendEmail({ to, template: "confirm-change-old", props: { ...common, newEmailMasked: maskEmail(request.newEmail) } });
  } else {
    await sendEmail({ to, template: "confirm-change-new", props: { ...common, email: to } });
  }
  return { sent: true, hop, hopExpiresAt: linkExpiresAt.toISOString() };
}
