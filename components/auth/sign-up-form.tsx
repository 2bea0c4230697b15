"use client";

import Link from "next/link";
import { ActionForm, type ServerFormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Creates the account and signs this browser in (app/(account)/actions.ts), with or without JavaScript. */
export function SignUpForm({ action, callbackUrl }: { action: ServerFormAction; callbackUrl: string }) {
  return (
    <ActionForm action={action} label="Create your account" errorTestId="sign-up-error">
      {({ pending, value, error }) => (
        <>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <TextField
            label="Mobile number"
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            required
            placeholder="98XXXXXXXX"
            defaultValue={value("phone")}
            error={error("phone")}
          />
          <TextField
            label="Full name"
            name="fullName"
            autoComplete="name"
            required
            defaultValue={value("fullName")}
            error={error("fullName")}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 8 characters, with letters and numbers."
            error={error("password")}
          />
          <TextField
            label="Email (optional)"
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            hint="We will send a link to verify it."
            defaultValue={value("email")}
            error={error("email")}
          />
          <SubmitButton pending={pending} pendingLabel="Creating account…" block>
            Create account
          </SubmitButton>
          <p className="center">
            Already have an account? <Link href="/signin">Sign in</Link>
          </p>
        </>
      )}
    </ActionForm>
  );
}
