"use client";

import { useFormStatus } from "react-dom";
import { SubmitButton } from "@/components/ui/submit-button";

/** A form's submit button: disabled while its form is being submitted, so a second press sends nothing (UC08). */
export function PendingButton(props: Omit<React.ComponentProps<typeof SubmitButton>, "pending">) {
  const { pending } = useFormStatus();
  return <SubmitButton pending={pending} {...props} />;
}
