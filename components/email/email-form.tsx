"use client";

import { useState } from "react";
import { callApi, type ApiError } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import type { EmailRequestView } from "@/lib/api";

/**
 * UC02–UC04: the address and the password (re-authentication). What was
 * typed stays in the fields whatever happens (UC08); the form is
 * uncontrolled, so only a success clears it.
 */
export function EmailForm(props: { mode: "add" | "change"; onDone: (request: EmailRequestView) => void; onCancel: () => void }) {
  const { pending, run } = useSubmit();
  const [error, setError] = useState<ApiError | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(async () => {
      const result = await callApi<{ emailRequest: EmailRequestView }>("/api/account/email", {
        body: { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") },
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      props.onDone(result.data.emailRequest);
    });
  }

  const emailError = error?.fields?.email;
  const title = props.mode === "add" ? "Add an email address" : "Change your email address";
  return (
    <form className="card stack" method="post" onSubmit={onSubmit} noValidate aria-label={title}>
      <h2>{title}</h2>
      {props.mode === "change" && (
        <p className="muted">
          We will first send a link to your current address. After you confirm it, we will send a link to the new one.
        </p>
      )}
      {error && !emailError && (
        <Alert tone="error" testId="email-form-error">
          {error.message}
        </Alert>
      )}
      <TextField
        label={props.mode === "add" ? "Email address" : "New email address"}
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        required
        error={emailError}
      />
      <TextField
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        hint="To keep your account safe, confirm it is you."
      />
      <div className="button-row">
        <SubmitButton pending={pending} pendingLabel="Sending…">
          {props.mode === "add" ? "Send verification link" : "Start change"}
        </SubmitButton>
        <button type="button" className="button button-secondary" onClick={props.onCancel} disabled={pending}>
          Close
        </button>
      </div>
    </form>
  );
}
