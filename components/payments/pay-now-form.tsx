"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { PaymentFields } from "@/components/payments/payment-fields";
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
          <PaymentFields value={value} error={error} />
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
