"use client";

import Link from "next/link";
import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Erases the account after re-authentication; the action then leaves for the sign-up page. */
export function DeleteAccountForm({ action }: { action: ServerFormAction }) {
  return (
    <ActionForm action={action} label="Delete account" className="card stack" errorTestId="delete-form-error">
      {({ pending, error }) => (
        <>
          <p>
            This erases your account, your email addresses and your requests, and signs you out everywhere. It cannot be undone. Our
            security log keeps what happened and when, without your name, number or address.
          </p>
          <TextField
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            hint="To keep your account safe, confirm it is you."
            error={error("password")}
          />
          <div className="button-row">
            <SubmitButton pending={pending} pendingLabel="Deleting…" variant="danger">
              Delete my account
            </SubmitButton>
            <Link className="button button-secondary" href="/profile">
              Keep my account
            </Link>
          </div>
        </>
      )}
    </ActionForm>
  );
}
