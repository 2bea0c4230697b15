"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { PlanFields } from "@/components/payments/plan-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** What the schedule holds now, as the form's fields show it (rupees, Nepal datetime-local). */
export type PlanValues = { amount: string; nextRunAt: string; repeat: string; end: string; endsAfter: string; endsOn: string };

/**
 * Change the amount, the next run time, the repeat or the end. The current
 * values travel in hidden `was…` fields: the action sends only what changed.
 */
export function RescheduleForm({ action, scheduleId, current }: { action: ServerFormAction; scheduleId: string; current: PlanValues }) {
  return (
    <ActionForm action={action} label="Reschedule" className="card stack" errorTestId="reschedule-error">
      {({ pending, value, error }) => (
        <>
          <h2>Reschedule</h2>
          <input type="hidden" name="scheduleId" value={scheduleId} />
          <input type="hidden" name="wasAmount" value={current.amount} />
          <input type="hidden" name="wasNextRunAt" value={current.nextRunAt} />
          <input type="hidden" name="wasRepeat" value={current.repeat} />
          <input type="hidden" name="wasEnd" value={current.end} />
          <input type="hidden" name="wasEndsAfter" value={current.endsAfter} />
          <input type="hidden" name="wasEndsOn" value={current.endsOn} />
          <TextField
            label="Amount (Rs.)"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            required
            defaultValue={value("amount") ?? current.amount}
            error={error("amount")}
          />
          <TextField
            label="Next payment (Nepal time)"
            name="nextRunAt"
            type="datetime-local"
            required
            hint="At least 5 minutes from now. Later payments follow from this time."
            defaultValue={value("nextRunAt") ?? current.nextRunAt}
            error={error("nextRunAt")}
          />
          <PlanFields
            defaults={{
              repeat: value("repeat") ?? current.repeat,
              end: value("end") ?? current.end,
              endsAfter: value("endsAfter") ?? current.endsAfter,
              endsOn: value("endsOn") ?? current.endsOn,
            }}
            error={error}
          />
          <SubmitButton pending={pending} pendingLabel="Saving…" block>
            Save changes
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
