import "server-only";
import type { EmailRequestKind, EmailStep, Hop } from "@/lib/api";
import { rules } from "@/lib/rules";

// One mechanism, two policies. Adding an address and changing a verified
// one run through the same code (create, send a link per hop, confirm,
// expire, cancel, resend); everything that differs between them is in this
// table, and nowhere else branches on the request's kind.

type HopPolicy = {
  hop: Hop;
  /** What people see while this hop's link is awaited. */
  step: EmailStep;
  /** The email that carries this hop's link. */
  template: "verify-email" | "confirm-change-old" | "confirm-change-new";
  /** The workflow step that sends it: a stable id (renaming one breaks runs in flight). */
  sendStepId: string;
  /**
   * The link goes to an address nobody has verified yet: it counts toward
   * rules.maxVerificationEmailsPerRecipientPerDay (across all accounts), and
   * its email carries nothing the requester typed (issue 10, item 6).
   */
  toUnverifiedAddress: boolean;
  /**
   * Confirming this hop also needs the signed-in session of the account that
   * owns the request (ADR 0018): a link scanner that runs JavaScript and
   * presses buttons cannot approve it. The old address's hop lets the
   * account move away from that address, so it is the one that needs it.
   */
  needsOwnerSession: boolean;
};

type CompletionEmail = {
  email: "changed-notice" | "linked";
  /** Workflow step id, stable like the others. */
  stepId: string;
};

export type EmailRequestPolicy = {
  /** The links, in the order they are sent; confirming the last one completes the request. */
  hops: readonly HopPolicy[];
  linkLifetimeMs: number;
  /** A new request's lifetime. */
  requestLifetimeMs: number;
  /**
   * "follows-link": the link is the request, so each new link extends the
   * request to the link's expiry. "bounded": the request's own lifetime is
   * fixed and no link outlives it.
   */
  requestLifetime: "follows-link" | "bounded";
  /**
   * What confirming the last link does. Either way the pending address
   * becomes the account's verified one (it held nothing before: ADR 0012),
   * provided the account still has the address the request started from
   * (request.oldEmail; none for an add) and no other account verified the
   * new one first.
   */
  completion: {
    outcome: "verified" | "changed";
    audit: "email.verified" | "email.changed";
    /** Bump the session version: every other session of the user ends. */
    endsOtherSessions: boolean;
  };
  /** Sent once the request completes, in this order. */
  completionEmails: readonly CompletionEmail[];
  /**
   * "Send me a new link" from the latest link of a request that expired:
   * start a new request for the same address, if nothing happened on the
   * account since (never for a cancelled, superseded or completed one).
   */
  restartFromExpiredLink: boolean;
};

export const emailRequestPolicies: Record<EmailRequestKind, EmailRequestPolicy> = {
  add: {
    hops: [
      {
        hop: "new",
        step: "verify",
        template: "verify-email",
        sendStepId: "send verification link",
        toUnverifiedAddress: true,
        needsOwnerSession: false,
      },
    ],
    linkLifetimeMs: rules.addLinkLifetimeMs,
    requestLifetimeMs: rules.addLinkLifetimeMs,
    requestLifetime: "follows-link",
    completion: { outcome: "verified", audit: "email.verified", endsOtherSessions: false },
    completionEmails: [{ email: "linked", stepId: "send linked email" }],
    restartFromExpiredLink: true,
  },
  change: {
    // The old address first: only its owner can let the account move away from it.
    hops: [
      {
        hop: "old",
        step: "change-old",
        template: "confirm-change-old",
        sendStepId: "send old-address link",
        toUnverifiedAddress: false,
        needsOwnerSession: true,
      },
      {
        hop: "new",
        step: "change-new",
        template: "confirm-change-new",
        sendStepId: "send new-address link",
        toUnverifiedAddress: true,
        needsOwnerSession: false,
      },
    ],
    linkLifetimeMs: rules.changeHopLifetimeMs,
    requestLifetimeMs: rules.changeRequestLifetimeMs,
    requestLifetime: "bounded",
    completion: { outcome: "changed", audit: "email.changed", endsOtherSessions: true },
    completionEmails: [
      { email: "changed-notice", stepId: "tell old address it was replaced" },
      { email: "linked", stepId: "send linked email" },
    ],
    restartFromExpiredLink: false,
  },
};

export function policyOf(kind: EmailRequestKind): EmailRequestPolicy {
  return emailRequestPolicies[kind];
}

export function hopPolicy(kind: EmailRequestKind, hop: Hop): HopPolicy {
  const found = policyOf(kind).hops.find((entry) => entry.hop === hop);
  if (!found) throw new Error(`a ${kind} request has no ${hop} hop`);
  return found;
}

/** The hops whose links go to an unverified address, across every kind (what the per-recipient cap counts). */
export const hopsToUnverifiedAddresses: readonly Hop[] = [
  ...new Set(Object.values(emailRequestPolicies).flatMap((policy) => policy.hops.filter((h) => h.toUnverifiedAddress).map((h) => h.hop))),
];

export function firstHop(kind: EmailRequestKind): Hop {
  return policyOf(kind).hops[0]!.hop;
}

/** The hop after `hop`, or null when `hop` is the last. */
export function nextHop(kind: EmailRequestKind, hop: Hop): Hop | null {
  const { hops } = policyOf(kind);
  const index = hops.findIndex((entry) => entry.hop === hop);
  return hops[index + 1]?.hop ?? null;
}

/** The address a hop's link goes to. */
export function recipientOf(request: { oldEmail: string | null; newEmail: string }, hop: Hop): string {
  if (hop === "new") return request.newEmail;
  if (!request.oldEmail) throw new Error("an old-address hop without an old address");
  return request.oldEmail;
}

/**
 * When the cooldown starts: the last send, or, before the current hop's
 * first link has gone out, the moment that hop began (the request's
 * creation, or the old address's confirmation). That first link is already
 * on its way from the workflow; a resend the same second would be a second
 * email (issue 11, item 6).
 */
export function cooldownStart(request: {
  lastSentAt: Date | null;
  currentHop?: Hop | null;
  createdAt?: Date;
  oldConfirmedAt?: Date | null;
}): Date | null {
  if (request.lastSentAt) return request.lastSentAt;
  if (request.currentHop === "new" && request.oldConfirmedAt) return request.oldConfirmedAt;
  return request.createdAt ?? null;
}
