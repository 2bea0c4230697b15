import type { ButtonHTMLAttributes } from "react";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  pending: boolean;
  pendingLabel: string;
  variant?: "primary" | "secondary" | "danger";
  block?: boolean;
};

export function SubmitButton({ pending, pendingLabel, variant = "primary", block, children, className, ...rest }: Props) {
  return (
    <button
      type="submit"
      className={`button button-${variant}${block ? " button-block" : ""}${className ? ` ${className}` : ""}`}
      disabled={pending || rest.disabled}
      aria-busy={pending || undefined}
      {...rest}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
