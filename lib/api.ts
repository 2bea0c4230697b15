import { z } from "zod";

// The JSON API's answer shapes, shared by route handlers, server components
// and client components (which import the types only), and described for
// other clients at /api/openapi.json.

export const hop = z.enum(["old", "new"]);
export type Hop = z.infer<typeof hop>;
export const emailRequestKind = z.enum(["add", "change"]);
export type EmailRequestKind = z.infer<typeof emailRequestKind>;
export const emailRequestStatus = z.enum(["pending", "completed", "expired", "cancelled", "superseded", "failed"]);
export type EmailRequestStatus = z.infer<typeof emailRequestStatus>;

/**
 * Where a request stands, as people read it: verifying an added address, or
 * step 1 (old address) or 2 (new address) of a change.
 */
export const emailStep = z.enum(["verify", "change-old", "change-new"]);
export type EmailStep = z.infer<typeof emailStep>;

const instant = z.iso.datetime().describe("ISO 8601, UTC");

export const userView = z.object({
  id: z.uuid(),
  phone: z.string().describe("E.164, e.g. +9779810578899"),
  fullName: z.string(),
  email: z.string().nullable(),
  emailVerified: z.boolean(),
});
export type UserView = z.infer<typeof userView>;

export const emailRequestView = z.object({
  id: z.uuid(),
  kind: emailRequestKind,
  status: emailRequestStatus,
  step: emailStep,
  currentHop: hop.nullable().describe("Which link of a change is awaited; null for an add (it has one link)"),
  newEmail: z.string(),
  sentTo: z.string().nullable().describe("Where the current link went, masked; null while it is being sent"),
  expiresAt: instant.nullable().describe("When the current link stops working; null while it is being sent"),
  requestExpiresAt: instant.describe("When the whole request ends (a change lives 24 hours across both hops)"),
  resendAvailableAt: instant.nullable().describe("When resend becomes available (the cooldown; the hourly cap is checked on use)"),
  sendFailed: z.boolean().describe("The last attempt to email the current link was refused; retries continue, and resend may help"),
});
export type EmailRequestView = z.infer<typeof emailRequestView>;

/** GET /api/account, and what the profile page renders. */
export const accountView = z.object({ user: userView, emailRequest: emailRequestView.nullable() });
export type AccountView = z.infer<typeof accountView>;

export const confirmOutcome = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("verified") }),
  z.object({ outcome: z.literal("old-confirmed"), nextSentTo: z.string().describe("The new address, masked") }),
  z.object({ outcome: z.literal("changed") }),
]);
export type ConfirmOutcome = z.infer<typeof confirmOutcome>;

export const resentLink = z.object({ sentTo: z.string().describe("Masked address the new link went to") });
export type ResentLink = z.infer<typeof resentLink>;

export const passwordChanged = z.object({
  changed: z.literal(true),
  otherSessionsEnded: z.number().int().describe("Sessions of this account on other browsers that were signed out"),
});
export type PasswordChanged = z.infer<typeof passwordChanged>;

export const accountDeleted = z.object({ deleted: z.literal(true) });

/** GET /api/account/export: everything the service holds about the signed-in user (no hashes, no tokens). */
export const accountExport = z.object({
  exportedAt: instant,
  account: z.object({
    id: z.uuid(),
    phone: z.string(),
    fullName: z.string(),
    email: z.string().nullable(),
    emailVerifiedAt: instant.nullable(),
    createdAt: instant,
  }),
  addresses: z.array(z.object({ email: z.string(), role: z.enum(["current", "requested", "replaced"]) })),
  emailRequests: z.array(
    z.object({
      id: z.uuid(),
      kind: emailRequestKind,
      status: emailRequestStatus,
      oldEmail: z.string().nullable(),
      newEmail: z.string(),
      createdAt: instant,
      closedAt: instant.nullable(),
      links: z.array(z.object({ hop, sentTo: z.string(), createdAt: instant, expiresAt: instant, usedAt: instant.nullable() })),
    }),
  ),
  sessions: z.array(
    z.object({
      createdAt: instant,
      lastSeenAt: instant,
      endedAt: instant.nullable(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
    }),
  ),
  auditEvents: z.array(
    z.object({
      action: z.string(),
      at: instant,
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type AccountExport = z.infer<typeof accountExport>;

// Payments (docs/product/payments.md): amounts in paisa, times ISO 8601.

const paisa = z.number().int().describe("Paisa (1 rupee = 100 paisa)");

export const entryView = z.object({
  id: z.uuid(),
  kind: z.enum(["top_up", "transfer", "scheduled_payment", "reversal"]),
  amount: paisa.describe("Paisa, signed from this wallet's side: negative left it"),
  counterparty: z
    .object({ name: z.string(), phone: z.string().describe("Masked") })
    .nullable()
    .describe("Null for a top-up"),
  note: z.string().nullable(),
  createdAt: instant,
});
export type EntryView = z.infer<typeof entryView>;

export const walletView = z.object({
  wallet: z.object({ balance: paisa, currency: z.literal("NPR") }),
  entries: z.array(entryView).describe("The latest entries, newest first"),
});
export type WalletView = z.infer<typeof walletView>;

export const scheduleView = z.object({
  id: z.uuid(),
  toPhone: z.string().describe("Masked"),
  toName: z.string().nullable().describe("Null once the recipient's account is deleted"),
  amount: paisa,
  note: z.string().nullable(),
  repeat: z.enum(["none", "daily", "weekly", "monthly"]),
  endsAfter: z.number().int().nullable(),
  endsOn: z.iso.date().nullable().describe("The last Nepal calendar day on which a payment may run"),
  status: z.enum(["active", "paused", "completed", "cancelled"]),
  nextRunAt: instant.nullable(),
  remind: z.boolean().describe("A reminder email 24 hours before each payment"),
  createdAt: instant,
});
export type ScheduleView = z.infer<typeof scheduleView>;

export const occurrenceView = z.object({
  number: z.number().int(),
  dueAt: instant,
  status: z.enum(["scheduled", "succeeded", "retrying", "failed", "skipped", "missed"]),
  attempts: z.number().int(),
  failureReason: z.string().nullable(),
  entryId: z.uuid().nullable(),
  executedAt: instant.nullable(),
});
export type OccurrenceView = z.infer<typeof occurrenceView>;
