import "server-only";
import type { EmailRequestView } from "@/lib/api";
import { maskEmail } from "@/lib/email-address";
import { rules } from "@/lib/rules";
import { cooldownStart, hopPolicy, policyOf, recipientOf } from "@/server/email-requests/policy";
import type { EmailRequest } from "@/server/generated/prisma/client";

/** The public shape of a pending request (lib/api.ts, `emailRequestView`). */
export function presentEmailRequest(request: EmailRequest): EmailRequestView {
  const policy = policyOf(request.kind);
  const hop = request.currentHop ?? policy.hops.at(-1)!.hop;
  const linkSent = request.hopExpiresAt !== null;
  const resendFrom = cooldownStart(request);
  return {
    id: request.id,
    kind: request.kind,
    status: request.status,
    step: hopPolicy(request.kind, hop).step,
    currentHop: policy.hops.length > 1 ? request.currentHop : null,
    newEmail: request.newEmail,
    sentTo: linkSent && request.currentHop ? maskEmail(recipientOf(request, request.currentHop)) : null,
    expiresAt: request.hopExpiresAt?.toISOString() ?? null,
    requestExpiresAt: request.expiresAt.toISOString(),
    sendFailed: request.sendFailedAt !== null,
    resendAvailableAt: resendFrom ? new Date(resendFrom.getTime() + rules.resendCooldownMs).toISOString() : null,
  };
}
