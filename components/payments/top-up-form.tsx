"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Test money for the local and e2e stacks (real top-ups are out of scope); the page shows it only there. */
export function TopUpForm({ action }: { action: ServerFormAction }) {
  return (
    <ActionForm action={action} label="Add test money" className="card stack" errorTestId="top-up-error">
      {({ pending, value, error }) => (
        <>
          <h2>Add test money</h2>
          <p className="muted">Only in development and test stacks.</p>
          <TextField
            label="Test amount (Rs.)"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            required
            defaultValue={value("amount")}
            error={error("amount")}
          />
          <SubmitButton pending={pending} pendingLabel="Adding…" variant="secondary">
            Add test money
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
