"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useActionState, useSyncExternalStore } from "react";
import { Alert } from "@/components/ui/alert";
import { FocusHere } from "@/components/ui/focus-here";
import { useEmailActions, type FormAction } from "@/components/email/email-actions";
import { formatClock, formatTime } from "@/components/email/format";
import { PendingButton } from "@/components/email/pending-button";
import { secondsUntil, useNow } from "@/components/email/use-countdown";
import type { EmailRequestView } from "@/lib/api";
import { IDLE } from "@/lib/form-state";

const RESEND_PAGE = "/email/resend";

/**
 * A pending request (UC07): which link is awaited, where it went (masked),
 * until when; resend and cancel as forms that work without JavaScript (each
 * answers with a redirect to the resend page, which shows the result). The
 * cooldown is a time the server renders; with JavaScript it counts down on
 * the button, and the polite live region only changes when resending
 * becomes possible, not every second.
 */
export function PendingRequest({ request }: { request: EmailRequestView }) {
  const actions = useEmailActions();
  const onResendPage = usePathname() === RESEND_PAGE;
  const now = useNow();
  // Before hydration (and without JavaScript) the button stays enabled: a
  // press during the cooldown gets the server's specific answer.
  const hydrated = useSyncExternalStore(noSubscription, onClient, onServer);
  const waitSeconds = hydrated ? secondsUntil(request.resendAvailableAt, now) : 0;
  const linkExpired = hydrated && request.expiresAt !== null && Date.parse(request.expiresAt) <= now;

  return (
    <section className="card stack" aria-labelledby="pending-heading" data-testid="pending-request">
      <h2 id="pending-heading">{heading(request)}</h2>
      <p data-testid="pending-status">{describe(request)}</p>
      {request.expiresAt && (
        <p className="muted" data-testid="pending-expiry" suppressHydrationWarning>
          {linkExpired ? (
            "This link has expired: ask for a new one."
          ) : (
            <>
              The link works until <time dateTime={request.expiresAt}>{formatTime(request.expiresAt)}</time>.
            </>
          )}
        </p>
      )}
      {request.resendAvailableAt && (
        <p className="muted" aria-live="polite" data-testid="resend-cooldown" suppressHydrationWarning>
          {hydrated && waitSeconds === 0 ? (
            "You can ask for a new email now."
          ) : (
            <>
              You can ask for a new email from <time dateTime={request.resendAvailableAt}>{formatClock(request.resendAvailableAt)}</time>.
            </>
          )}
        </p>
      )}
      <div className="button-row">
        <RequestForm action={actions.resend}>
          <PendingButton
            pendingLabel="Sending…"
            variant="secondary"
            disabled={waitSeconds > 0}
            data-testid="resend"
            suppressHydrationWarning
          >
            {waitSeconds > 0 ? `Resend in ${waitSeconds} s` : "Resend email"}
          </PendingButton>
        </RequestForm>
        <RequestForm action={actions.cancel}>
          <PendingButton pendingLabel="Cancelling…" variant="danger" data-testid="cancel-request">
            Cancel request
          </PendingButton>
        </RequestForm>
      </div>
      {!onResendPage && (
        <p>
          <Link href={RESEND_PAGE} data-testid="resend-page-link">
            Didn&apos;t get the email? See where it went and resend it
          </Link>
        </p>
      )}
    </section>
  );
}

/** One of the request's forms; a refusal (the cooldown, say) is shown with it, from the action's answer. */
function RequestForm({ action, children }: { action: FormAction; children: React.ReactNode }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="stack">
      {state.status === "error" && (
        // Focus goes to the refusal, so a screen reader user hears why nothing was sent.
        <FocusHere>
          <Alert tone="error" testId="pending-error">
            {state.error.message}
          </Alert>
        </FocusHere>
      )}
      {children}
    </form>
  );
}

const noSubscription = () => () => {};
const onClient = () => true;
const onServer = () => false;

function heading(request: EmailRequestView): string {
  switch (request.step) {
    case "verify":
      return "Verify your email";
    case "change-old":
      return "Email change: step 1 of 2";
    case "change-new":
      return "Email change: step 2 of 2";
  }
}

function describe(request: EmailRequestView): string {
  // Only what the server knows: a link is "sent" once SMTP accepted it (issue 11, item 6).
  if (request.sendFailed) {
    return request.sentTo
      ? `We could not send a new link just now. The link we sent to ${request.sentTo} still works, or try again in a moment.`
      : "We could not send your link just now. We keep trying; you can also try again in a moment.";
  }
  if (!request.sentTo) return "We are still sending your link…";
  switch (request.step) {
    case "verify":
      return `We sent a verification link to ${request.sentTo}. Open it to verify your address.`;
    case "change-old":
      return `To change your email to ${request.newEmail}, first confirm the link we sent to your current address, ${request.sentTo}. You will need to be signed in to approve it.`;
    case "change-new":
      return `Your current address confirmed the change. Now open the link we sent to ${request.sentTo}.`;
  }
}
