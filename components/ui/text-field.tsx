import type { InputHTMLAttributes } from "react";
import { Field, type FieldProps } from "@/components/ui/field";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & FieldProps;

export function TextField({ label, hint, error, id, autoFocus, ...input }: Props) {
  return (
    <Field label={label} hint={hint} error={error} id={id} autoFocus={autoFocus} control={(wiring) => <input {...wiring} {...input} />} />
  );
}
