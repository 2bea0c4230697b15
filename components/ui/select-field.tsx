import type { SelectHTMLAttributes } from "react";
import { Field, type FieldProps } from "@/components/ui/field";

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> &
  FieldProps & {
    options: readonly { value: string; label: string }[];
  };

/** A native select with the same label, hint and error wiring as TextField. */
export function SelectField({ label, hint, error, id, autoFocus, options, ...select }: Props) {
  return (
    <Field
      label={label}
      hint={hint}
      error={error}
      id={id}
      autoFocus={autoFocus}
      control={(wiring) => (
        <select {...wiring} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
