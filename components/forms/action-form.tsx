"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { failure, isNavigation, redirectTarget, typed } from "@/components/forms/submission";
import { IDLE, type FormState } from "@/lib/form-state";

// Every form of the app: a real form element bound to a server action, which
// React renders as method="POST" with the action's id in hidden fields.
//
// - JavaScript off, or before hydration: React renders the form with the
//   action's id, the browser POSTs it, and Next runs the action and either
//   answers 303 (the action redirected) or renders this page again with the
//   action's state (useActionState), the typed values and the errors in place.
// - JavaScript on: onSubmit takes over and calls the same server action
//   itself, so that a request that never reaches the server (the action's
//   fetch rejects) becomes the UC08 message with everything typed kept,
//   instead of an error thrown to the error boundary, which is what a form
//   action does with a rejection. A ref lets one submission run at a time
//   (UC08: never twice), and the form is never reset, so nothing typed is lost.
//   A redirect arrives as a rejection too: the router is already navigating.
//
// After each answer, focus moves to the first field in error, else to the
// summary or the result, so a screen reader user hears what happened.

export type ServerFormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export type FormView = {
  state: FormState;
  pending: boolean;
  /** What the field held when the form was last answered (passwords are never echoed), for `defaultValue`. */
  value: (name: string) => string | undefined;
  /** The field's own error message, for TextField's `error`. */
  error: (name: string) => string | undefined;
};

type Props = {
  action: ServerFormAction;
  /** The accessible name of the form. */
  label: string;
  className?: string;
  /** data-testid of the error summary. */
  errorTestId?: string;
  /** What a "done" answer shows; a redirect needs none. */
  successTestId?: string;
  children: (view: FormView) => React.ReactNode;
};

export function ActionForm({ action, label, className = "stack", errorTestId, successTestId, children }: Props) {
  const [serverState, formAction] = useActionState(action, IDLE);
  const [clientState, setClientState] = useState<FormState | null>(null);
  const [pending, setPending] = useState(false);
  const [answers, setAnswers] = useState(0);
  const inFlight = useRef(false);
  const form = useRef<HTMLFormElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const state = clientState ?? serverState;

  useEffect(() => {
    if (answers === 0) return;
    const invalid = form.current?.querySelector<HTMLElement>("[aria-invalid=true]");
    (invalid ?? summary.current)?.focus();
  }, [answers]);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    inFlight.current = true;
    setPending(true);
    let next: FormState;
    try {
      next = await action(state, formData);
    } catch (error) {
      if (isNavigation(error)) {
        // The router is on its way to the action's redirect target: the form
        // stays pending (no second submit) until that page replaces it. A
        // target on this same page (new search params) keeps this component,
        // so there the form must be usable again.
        if (redirectTarget(error, window.location.href)?.pathname === window.location.pathname) {
          inFlight.current = false;
          setPending(false);
        }
        return;
      }
      next = { status: "error", error: failure(error, typeof navigator === "undefined" || navigator.onLine), values: typed(formData) };
    }
    inFlight.current = false;
    setPending(false);
    setClientState(next);
    setAnswers((count) => count + 1);
  }

  const fieldErrors = state.status === "error" ? (state.error.fields ?? {}) : {};
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  const view: FormView = {
    state,
    pending,
    value: (name) => state.values?.[name],
    error: (name) => fieldErrors[name],
  };

  return (
    // No method attribute: for a server action React renders method="POST" (and warns when given one).
    <form
      ref={form}
      className={className}
      action={formAction}
      onSubmit={onSubmit}
      noValidate
      aria-label={label}
      aria-busy={pending || undefined}
    >
      {state.status === "error" && (
        // autoFocus: a form answered without JavaScript (a new page) starts at its error; the effect above does it in place.
        <div ref={summary} tabIndex={-1} className="form-summary" autoFocus={!hasFieldErrors}>
          <Alert tone="error" testId={errorTestId}>
            {hasFieldErrors ? "Please correct the highlighted fields." : state.error.message}
          </Alert>
        </div>
      )}
      {state.status === "done" && (
        <div ref={summary} tabIndex={-1} className="form-summary">
          <Alert tone="success" testId={successTestId}>
            {state.message}
          </Alert>
        </div>
      )}
      {children(view)}
    </form>
  );
}
