"use client";

import { useState } from "react";
import { callApi, type ApiError } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import type { PasswordChanged } from "@/lib/api";

/** POST /api/account/password: the current password (re-authentication) and the new one. */
export function PasswordForm() {
  const { pending, run } = useSubmit();
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<PasswordChanged | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    await run(async () => {
      const result = await callApi<PasswordChanged>("/api/account/password", {
        body: { currentPassword: String(form.get("currentPassword") ?? ""), newPassword: String(form.get("newPassword") ?? "") },
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setDone(result.data);
      formElement.reset();
    });
  }

  const fieldErrors = error?.fields ?? {};
  return (
    <form className="card stack" method="post" onSubmit={onSubmit} noValidate aria-label="Change password">
      {done && (
        <Alert tone="success" testId="password-changed">
          Your password was changed.{" "}
          {done.otherSessionsEnded > 0
            ? `${done.otherSessionsEnded} other ${done.otherSessionsEnded === 1 ? "session was" : "sessions were"} signed out.`
            : ""}
        </Alert>
      )}
      {error && !error.fields && (
        <Alert tone="error" testId="password-form-error">
          {error.message}
        </Alert>
      )}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.currentPassword}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters, with letters and numbers. Every other device will be signed out."
        error={fieldErrors.newPassword}
      />
      <div className="button-row">
        <SubmitButton pending={pending} pendingLabel="Changing…">
          Change password
        </SubmitButton>
        <a className="button button-secondary" href="/profile">
          Back to profile
        </a>
      </div>
    </form>
  );
}
