"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { PaymentFields } from "@/components/payments/payment-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { ConfirmPasswordField } from "@/components/forms/confirm-password-field";

/** Pay someone now: their mobile number, the amount in rupees, a note, and the password (re-authentication). */
export function PayNowForm({ action, paymentKey }: { action: ServerFormAction; paymentKey: string }) {
  return (
    <ActionForm action={action} label="Pay now" className="card stack" errorTestId="pay-now-error">
      {({ pending, value, error }) => (
        <>
          <h2>Pay now</h2>
          <input type="hidden" name="paymentKey" value={paymentKey} />
          <PaymentFields value={value} error={error} />
          <ConfirmPasswordField protects="money" error={error("password")} />
          <SubmitButton pending={pending} pendingLabel="Paying…" block>
            Pay now
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
