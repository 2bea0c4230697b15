"use client";

import Link from "next/link";
import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { ConfirmPasswordField } from "@/components/forms/confirm-password-field";

/**
 * UC02–UC04: the address and the password (re-authentication). What was
 * typed stays in the fields whatever happens (UC08). On success the action
 * goes back to the profile, which shows the pending request.
 */
export function EmailForm({ action, mode }: { action: ServerFormAction; mode: "add" | "change" }) {
  const title = mode === "add" ? "Add an email address" : "Change your email address";
  return (
    <ActionForm action={action} label={title} className="card stack" errorTestId="email-form-error">
      {({ pending, value, error }) => (
        <>
          <h2>{title}</h2>
          {mode === "change" && (
            <p className="muted">
              We will first send a link to your current address. After you confirm it, we will send a link to the new one.
            </p>
          )}
          <TextField
            label={mode === "add" ? "Email address" : "New email address"}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            required
            defaultValue={value("email")}
            error={error("email")}
          />
          <ConfirmPasswordField protects="account" error={error("password")} />
          <div className="button-row">
            <SubmitButton pending={pending} pendingLabel="Sending…">
              {mode === "add" ? "Send verification link" : "Start change"}
            </SubmitButton>
            <Link className="button button-secondary" href="/profile">
              Close
            </Link>
          </div>
        </>
      )}
    </ActionForm>
  );
}
