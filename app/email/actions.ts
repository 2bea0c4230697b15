"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/form-state";
import { ticketInput, tokenInput } from "@/lib/schemas";
import { keepCurrentSessionInAction } from "@/server/auth/refresh-session";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { expiredLinkTicketFor } from "@/server/email-requests/link-state";
import { resendEmailLink } from "@/server/email-requests/resend-email-link";
import { resendExpiredLink } from "@/server/email-requests/resend-expired-link";
import { isAppError } from "@/server/errors";
import { formAction } from "@/server/http/form-action";

// The link pages' forms. Each action only wraps one server function
// (server/email-requests/) and answers with a redirect (303) to a page that
// shows the result, so every form works with JavaScript off. None of these
// URLs carries a token.

/** A confirm that failed because of the link's state: the outcome page says which (its URL carries the code, never the token). */
const LINK_FAILURES = new Set(["LINK_USED", "LINK_SUPERSEDED", "LINK_CANCELLED", "LINK_INVALID", "EMAIL_TAKEN"]);

const confirm = formAction(
  { auth: "none", input: tokenInput, page: "/email/confirm", budget: "emailLink" },
  async ({ input, user, meta }) => {
    let confirmed;
    try {
      confirmed = await confirmEmailLink({ token: input.token, meta, signedInUserId: user?.id ?? null });
    } catch (error) {
      if (isAppError(error) && error.code === "LINK_EXPIRED") {
        const ticket = await expiredLinkTicketFor(input.token);
        if (ticket) redirect(`/email/expired?ticket=${encodeURIComponent(ticket)}`);
      }
      if (isAppError(error) && LINK_FAILURES.has(error.code)) redirect(`/email/confirmed?failed=${error.code}`);
      // OWNER_SESSION_REQUIRED, RATE_LIMITED…: shown on the form, which keeps the link.
      throw error;
    }
    // An email change ends the user's other sessions; the one confirming stays signed in.
    if (confirmed.sessionVersion !== undefined) {
      await keepCurrentSessionInAction({ userId: confirmed.userId, sessionVersion: confirmed.sessionVersion });
    }
    redirect(`/email/confirmed?outcome=${confirmed.outcome}`);
  },
);

const newLink = formAction({ auth: "none", input: ticketInput, page: "/email/expired", budget: "emailLink" }, async ({ input, meta }) => {
  await resendExpiredLink({ ticket: input.ticket, meta });
  redirect(`/email/expired?ticket=${encodeURIComponent(input.ticket)}&sent=1`);
});

const resend = formAction({ auth: "user", page: "/email/resend" }, async ({ user, meta }) => {
  try {
    await resendEmailLink({ userId: user.id, meta });
  } catch (error) {
    // Nothing pending any more (confirmed or cancelled elsewhere): the page shows the true state.
    if (isAppError(error) && error.code === "NO_PENDING_REQUEST") redirect("/email/resend");
    throw error;
  }
  redirect("/email/resend?done=resent");
});

const cancel = formAction({ auth: "user", page: "/email/resend" }, async ({ user, meta }) => {
  try {
    await cancelEmailRequest({ userId: user.id, meta });
  } catch (error) {
    if (isAppError(error) && error.code === "NO_PENDING_REQUEST") redirect("/email/resend");
    throw error;
  }
  redirect("/email/resend?done=cancelled");
});

// Plain async functions: a "use server" module exports nothing else (every
// export is a public endpoint, so only these four).
export async function confirmLinkAction(previous: FormState, formData: FormData): Promise<FormState> {
  return confirm(previous, formData);
}

export async function sendNewLinkAction(previous: FormState, formData: FormData): Promise<FormState> {
  return newLink(previous, formData);
}

export async function resendLinkAction(previous: FormState, formData: FormData): Promise<FormState> {
  return resend(previous, formData);
}

export async function cancelRequestAction(previous: FormState, formData: FormData): Promise<FormState> {
  return cancel(previous, formData);
}
