import { useId } from "react";
import { REPEAT_OPTIONS } from "@/components/payments/format";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

type Defaults = { repeat?: string; end?: string; endsAfter?: string; endsOn?: string };

/**
 * How a schedule repeats and ends, shared by the schedule and reschedule
 * forms. The end is a radio group; both its inputs are always there (no
 * script shows or hides them), and the action reads only the chosen one.
 */
export function PlanFields({ defaults, error }: { defaults: Defaults; error: (name: string) => string | undefined }) {
  const id = useId();
  const end = defaults.end ?? "never";
  const endError = error("end");
  return (
    <>
      <SelectField label="Repeat" name="repeat" options={REPEAT_OPTIONS} defaultValue={defaults.repeat ?? "none"} error={error("repeat")} />
      <fieldset className="field choices" aria-describedby={endError ? `${id}-end-error` : undefined}>
        <legend>Ends</legend>
        <p className="hint">For a repeating payment.</p>
        <label className="choice">
          <input type="radio" name="end" value="never" defaultChecked={end === "never"} /> Never
        </label>
        <label className="choice">
          <input type="radio" name="end" value="after" defaultChecked={end === "after"} /> After a number of payments
        </label>
        <TextField
          label="Number of payments"
          name="endsAfter"
          inputMode="numeric"
          autoComplete="off"
          defaultValue={defaults.endsAfter}
          error={error("endsAfter")}
        />
        <label className="choice">
          <input type="radio" name="end" value="on" defaultChecked={end === "on"} /> On a date
        </label>
        <TextField label="Last day (Nepal time)" name="endsOn" type="date" defaultValue={defaults.endsOn} error={error("endsOn")} />
        {endError && (
          <p className="field-error" id={`${id}-end-error`}>
            {endError}
          </p>
        )}
      </fieldset>
    </>
  );
}
