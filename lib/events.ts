import { eventType } from "inngest";
import { z } from "zod";

// The events between the domain (server/) and the workflows (inngest/), one
// per business fact, named <area>/<noun>.<past-verb>. A leaf: it imports no
// workflow and no client, so server/ can build events and inngest/ can
// trigger on them without either importing the other. Payloads hold ids
// only: never a token, a password or an address (events are stored and shown
// by the engine).

const requestId = z.uuid();

/** A user asked to add or change their email; starts the request's workflow. */
export const emailRequested = eventType("account/email.requested", {
  schema: z.object({ requestId, userId: z.uuid(), kind: z.enum(["add", "change"]) }),
});

/** A link was confirmed and recorded in the database; wakes the waiting workflow. */
export const emailHopConfirmed = eventType("account/email-hop.confirmed", {
  schema: z.object({ requestId, hop: z.enum(["old", "new"]) }),
});

/** A fresh link for the current hop was asked for (from the profile, or from an expired link). */
export const emailLinkResendRequested = eventType("account/email-link.resend-requested", {
  schema: z.object({ requestId }),
});

/** A pending request ended early (cancelled by the user, or superseded by a newer one). */
export const emailRequestClosed = eventType("account/email-request.closed", {
  schema: z.object({ requestId, reason: z.enum(["cancelled", "superseded"]) }),
});

/**
 * Repeated wrong passwords locked the account (UC05): for strangers, for the
 * browsers that signed in before, or, past the account-wide ceiling, for
 * everyone. Starts the lock notice to the account holder's verified address.
 */
export const passwordLocked = eventType("account/password.locked", {
  schema: z.object({ userId: z.uuid(), scope: z.enum(["strangers", "devices", "everyone"]), lockedUntil: z.iso.datetime() }),
});

const scheduleId = z.uuid();

/**
 * An occurrence of a scheduled payment is due at `dueAt`: starts the run that
 * sleeps until then and executes it. `version` is the schedule's version when
 * the event was written; a run for an older version does nothing.
 */
export const paymentOccurrenceDue = eventType("payments/occurrence.due", {
  schema: z.object({
    scheduleId,
    walletId: z.uuid(),
    version: z.number().int().positive(),
    number: z.number().int().positive(),
    dueAt: z.iso.datetime(),
  }),
});

/** A person changed a schedule (reschedule, skip, pause, resume, cancel): ends the runs of its older versions. */
export const paymentScheduleChanged = eventType("payments/schedule.changed", {
  schema: z.object({ scheduleId, version: z.number().int().positive() }),
});

/** An occurrence ended: sends the receipt, the failure or missed notice, the paused notice, the "you received". */
export const paymentOccurrenceEnded = eventType("payments/occurrence.ended", {
  schema: z.object({
    scheduleId,
    number: z.number().int().positive(),
    outcome: z.enum(["succeeded", "failed", "missed"]),
    /** The schedule was paused because of this failure (3 in a row). */
    paused: z.boolean(),
  }),
});
