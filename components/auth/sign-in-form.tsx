"use client";

import Link from "next/link";
import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Signs in with or without JavaScript (app/(account)/actions.ts): the password travels in the POST body, never in a URL. */
export function SignInForm({ action, callbackUrl }: { action: ServerFormAction; callbackUrl: string }) {
  return (
    <ActionForm action={action} label="Sign in" errorTestId="sign-in-error">
      {({ pending, value, error }) => (
        <>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <TextField
            label="Mobile number"
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="username"
            required
            placeholder="98XXXXXXXX"
            defaultValue={value("phone")}
            error={error("phone")}
          />
          <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={error("password")} />
          <SubmitButton pending={pending} pendingLabel="Signing in…" block>
            Sign in
          </SubmitButton>
          <p className="center">
            New here? <Link href="/signup">Create an account</Link>
          </p>
        </>
      )}
    </ActionForm>
  );
}
