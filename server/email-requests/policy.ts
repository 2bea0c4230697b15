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
   * The address is the account's (unverified) email while the request is
   * pending, so nobody else can claim it; cancelling gives it back.
   */
  holdsAddress: boolean;
  /** What confirming the last link does to the account. */
  completion: "verify-held-address" | "replace-address";
  /** Sent once the request completes, in this order. */
  completionEmails: readonly CompletionEmail[];
  /** "Send me a new link" from a link whose request has ended: start a new request if the address is still unverified. */
  restartFromEndedLink: boolean;
};

export const emailRequestPolicies: Record<EmailRequestKind, EmailRequestPolicy> = {
  add: {
    hops: [{ hop: "new", step: "verify", template: "verify-email", sendStepId: "send verification link" }],
    linkLifetimeMs: rules.addLinkLifetimeMs,
    requestLifetimeMs: rules.addLinkLifetimeMs,
    requestLifetime: "follows-link",
    holdsAddress: true,
    completion: "verify-held-address",
    completionEmails: [{ email: "linked", stepId: "send linked email" }],
    restartFromEndedLink: true,
  },
  change: {
    // The old address first: only its owner can let the account move away from it.
    hops: [
      { hop: "old", step: "change-old", template: "confirm-change-old", sendStepId: "send old-address link" },
      { hop: "new", step: "change-new", template: "confirm-change-new", sendStepId: "send new-address link" },
    ],
    linkLifetimeMs: rules.changeHopLifetimeMs,
    requestLifetimeMs: rules.changeRequestLifetimeMs,
    requestLifetime: "bounded",
    holdsAddress: false,
    completion: "replace-address",
    completionEmails: [
      { email: "changed-notice", stepId: "tell old address it was replaced" },
      { email: "linked", stepId: "send linked email" },
    ],
    restartFromEndedLink: false,
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
