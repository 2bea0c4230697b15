"use client";

import { useActionState, useEffect } from "react";
import { Alert } from "@/components/ui/alert";
import { FocusHere } from "@/components/ui/focus-here";
import { PendingButton } from "@/components/email/pending-button";
import type { FormAction } from "@/components/email/email-actions";
import { IDLE } from "@/lib/form-state";

/**
 * The Confirm button of a valid link: a form that posts the token (a hidden
 * field) to the confirm action, which answers with a redirect to the outcome
 * page. Only this POST consumes the link; opening the page changes nothing.
 */
export function ConfirmForm({ action, token, label }: { action: FormAction; token: string; label: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="stack" data-testid="confirm-form">
      {state.status === "error" && (
        <FocusHere>
          <Alert tone="error" testId="confirm-error">
            {state.error.message}
          </Alert>
        </FocusHere>
      )}
      <input type="hidden" name="token" value={token} />
      <PendingButton pendingLabel="Confirming…" block>
        {label}
      </PendingButton>
    </form>
  );
}

/** UC06: "send me a new link", from the expired-link page (posts its ticket, never a token). */
export function NewLinkForm({ action, ticket }: { action: FormAction; ticket: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="stack" data-testid="new-link-form">
      {state.status === "error" && (
        <FocusHere>
          <Alert tone="error" testId="new-link-error">
            {state.error.message}
          </Alert>
        </FocusHere>
      )}
      <input type="hidden" name="ticket" value={ticket} />
      <PendingButton pendingLabel="Sending…" block>
        Send me a new link
      </PendingButton>
    </form>
  );
}

/**
 * Takes the token out of the address bar (and so out of history, bookmarks
 * and screenshots) once the page has read it; the confirm form keeps it in a
 * hidden field. Without JavaScript, the form's answer is a redirect to a URL
 * without it.
 */
export function StripToken({ path }: { path: string }) {
  useEffect(() => {
    if (new URL(window.location.href).searchParams.has("token")) window.history.replaceState(window.history.state, "", path);
  }, [path]);
  return null;
}
