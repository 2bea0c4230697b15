"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";

/** One action on a schedule (skip, pause, resume, cancel): a form of its own, so each works with JavaScript off. */
export function ScheduleButton(props: {
  action: ServerFormAction;
  scheduleId: string;
  label: string;
  pendingLabel: string;
  variant?: "primary" | "secondary" | "danger";
  hint?: string;
}) {
  return (
    <ActionForm action={props.action} label={props.label} className="stack" errorTestId="schedule-action-error">
      {({ pending }) => (
        <>
          <input type="hidden" name="scheduleId" value={props.scheduleId} />
          {props.hint && <p className="hint">{props.hint}</p>}
          <SubmitButton pending={pending} pendingLabel={props.pendingLabel} variant={props.variant ?? "secondary"} block>
            {props.label}
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
