"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { PlanFields } from "@/components/payments/plan-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Schedule a payment: recipient, amount in rupees, note, first run in Nepal time, repeat, end, reminder, password. */
export function ScheduleForm({ action }: { action: ServerFormAction }) {
  return (
    <ActionForm action={action} label="Schedule a payment" className="card stack" errorTestId="schedule-error">
      {({ pending, state, value, error }) => (
        <>
          <h2>Schedule a payment</h2>
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
          <TextField
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            hint="To keep your money safe, confirm it is you."
            error={error("password")}
          />
          <SubmitButton pending={pending} pendingLabel="Scheduling…" block>
            Schedule payment
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
