"use client";

import Link from "next/link";
import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** The current password (re-authentication) and the new one; the action comes back here with the result. */
export function PasswordForm({ action }: { action: ServerFormAction }) {
  return (
    <ActionForm action={action} label="Change password" className="card stack" errorTestId="password-form-error">
      {({ pending, error }) => (
        <>
          <TextField
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            error={error("currentPassword")}
          />
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 8 characters, with letters and numbers. Every other device will be signed out."
            error={error("newPassword")}
          />
          <div className="button-row">
            <SubmitButton pending={pending} pendingLabel="Changing…">
              Change password
            </SubmitButton>
            <Link className="button button-secondary" href="/profile">
              Back to profile
            </Link>
          </div>
        </>
      )}
    </ActionForm>
  );
}
