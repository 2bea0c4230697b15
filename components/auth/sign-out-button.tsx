"use client";

import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";

/** A one-button form: signing out is a POST that ends the session's row (app/(account)/actions.ts), with or without JavaScript. */
export function SignOutButton(props: { action: ServerFormAction; label?: string; className?: string; role?: "menuitem"; testId?: string }) {
  const label = props.label ?? "Sign out";
  return (
    <ActionForm action={props.action} label={label} className="inline-form" errorTestId={props.testId && `${props.testId}-error`}>
      {({ pending }) => (
        <button
          type="submit"
          role={props.role}
          className={props.className}
          disabled={pending}
          aria-busy={pending || undefined}
          data-testid={props.testId}
        >
          {pending ? "Signing out…" : label}
        </button>
      )}
    </ActionForm>
  );
}
