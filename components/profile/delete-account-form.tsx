"use client";

import Link from "next/link";
import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { ConfirmPasswordField } from "@/components/forms/confirm-password-field";

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
          <ConfirmPasswordField protects="account" error={error("password")} />
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
