import { useId } from "react";

export type FieldProps = { label: string; hint?: string; error?: string; id?: string };

/**
 * A form control with its label, hint and error wired for assistive
 * technology: `control` receives the attributes to spread on the input or
 * select (its id, aria-invalid, aria-describedby, and autofocus when it holds
 * an error, so that a form answered without JavaScript starts at the first
 * field that failed: only the first autofocus counts).
 */
export function Field({
  label,
  hint,
  error,
  id,
  autoFocus,
  control,
}: FieldProps & {
  autoFocus?: boolean;
  control: (wiring: { id: string; autoFocus: boolean; "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      {control({
        id: controlId,
        autoFocus: autoFocus ?? !!error,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
      })}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
