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
