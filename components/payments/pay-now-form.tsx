"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Pay someone now: their mobile number, the amount in rupees, a note, and the password (re-authentication). */
export function PayNowForm({ action, paymentKey }: { action: ServerFormAction; paymentKey: string }) {
  return (
    <ActionForm action={action} label="Pay now" className="card stack" errorTestId="pay-now-error">
      {({ pending, value, error }) => (
        <>
          <h2>Pay now</h2>
          <input type="hidden" name="paymentKey" value={paymentKey} />
          <TextField
            label="Recipient's mobile number"
            name="toPhone"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            required
            defaultValue={value("toPhone")}
            error={error("toPhone")}
          />
          <TextField
            label="Amount (Rs.)"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            required
            hint="From Rs. 10 to Rs. 25,000, e.g. 1,250.50."
            defaultValue={value("amount")}
            error={error("amount")}
          />
          <TextField label="Note (optional)" name="note" maxLength={100} defaultValue={value("note")} error={error("note")} />
          <TextField
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            hint="To keep your money safe, confirm it is you."
            error={error("password")}
          />
          <SubmitButton pending={pending} pendingLabel="Paying…" block>
            Pay now
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
