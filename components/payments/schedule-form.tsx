"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { PaymentFields } from "@/components/payments/payment-fields";
import { PlanFields } from "@/components/payments/plan-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { ConfirmPasswordField } from "@/components/forms/confirm-password-field";

/** Schedule a payment: recipient, amount in rupees, note, first run in Nepal time, repeat, end, reminder, password. */
export function ScheduleForm({ action }: { action: ServerFormAction }) {
  return (
    <ActionForm action={action} label="Schedule a payment" className="card stack" errorTestId="schedule-error">
      {({ pending, state, value, error }) => (
        <>
          <h2>Schedule a payment</h2>
          <PaymentFields value={value} error={error} />
          <TextField
            label="First payment (Nepal time)"
            name="firstRunAt"
            type="datetime-local"
            required
            hint="At least 5 minutes and at most a year from now."
            defaultValue={value("firstRunAt")}
            error={error("firstRunAt")}
          />
          <PlanFields
            defaults={{ repeat: value("repeat"), end: value("end"), endsAfter: value("endsAfter"), endsOn: value("endsOn") }}
            error={error}
          />
          <label className="choice">
            {/* Unticked boxes are not sent: after an answer, what was sent is what was ticked. */}
            <input type="checkbox" name="remind" defaultChecked={state.values ? state.values["remind"] !== undefined : true} /> Email me a
            reminder 24 hours before each payment
          </label>
          <ConfirmPasswordField protects="money" error={error("password")} />
          <SubmitButton pending={pending} pendingLabel="Scheduling…" block>
            Schedule payment
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
