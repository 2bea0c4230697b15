import "server-only";
import type { EmailRequest } from "@/server/generated/prisma/client";
import { maskEmail } from "@/server/email/address";
import { rules } from "@/server/rules";

// The public shape of a pending request (PRODUCT.md, "emailRequest").
export type EmailRequestView = {
  id: string;
  kind: "add" | "change";
  status: EmailRequest["status"];
  /** Which link of a change is awaited; null for an add (it has one link). */
  currentHop: "old" | "new" | null;
  newEmail: string;
  /** Where the current link went, masked; null while it is being sent. */
  sentTo: string | null;
  /** When the current link stops working; null while it is being sent. */
  expiresAt: string | null;
  /** When the whole request ends (a change lives 24 hours across both hops). */
  requestExpiresAt: string;
  /** When "resend" becomes available (the cooldown; the hourly cap is checked on use). */
  resendAvailableAt: string | null;
};

export function presentEmailRequest(request: EmailRequest): EmailRequestView {
  const sentAddress = request.currentHop === "old" ? request.oldEmail : request.newEmail;
  const linkSent = request.hopExpiresAt !== null;
  return {
    id: request.id,
    kind: request.kind,
    status: request.status,
    currentHop: request.kind === "change" ? request.currentHop : null,
    newEmail: request.newEmail,
    sentTo: linkSent && sentAddress ? maskEmail(sentAddress) : null,
    expiresAt: request.hopExpiresAt?.toISOString() ?? null,
    requestExpiresAt: request.expiresAt.toISOString(),
    resendAvailableAt: request.lastSentAt ? new Date(request.lastSentAt.getTime() + rules.resendCooldownMs).toISOString() : null,
  };
}
