"use client";

import { useEffect } from "react";
import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";

/**
 * The Confirm button of a valid link: a form that posts the token (a hidden
 * field) to the confirm action, which answers with a redirect to the outcome
 * page. Only this POST consumes the link; opening the page changes nothing.
 */
export function ConfirmForm({ action, token, label }: { action: ServerFormAction; token: string; label: string }) {
  return (
    <ActionForm action={action} label={label} errorTestId="confirm-error">
      {({ pending }) => (
        <>
          <input type="hidden" name="token" value={token} />
          <SubmitButton pending={pending} pendingLabel="Confirming…" block>
            {label}
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}

/** UC06: "send me a new link", from the expired-link page (posts its ticket, never a token). */
export function NewLinkForm({ action, ticket }: { action: ServerFormAction; ticket: string }) {
  return (
    <ActionForm action={action} label="Send me a new link" errorTestId="new-link-error">
      {({ pending }) => (
        <>
          <input type="hidden" name="ticket" value={ticket} />
          <SubmitButton pending={pending} pendingLabel="Sending…" block>
            Send me a new link
          </SubmitButton>
        </>
      )}
    </ActionForm>
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
