"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, type ApiError } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { safeCallbackPath } from "@/lib/safe-redirect";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const { pending, run } = useSubmit();
  const [error, setError] = useState<ApiError | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      phone: String(form.get("phone") ?? ""),
      fullName: String(form.get("fullName") ?? ""),
      password: String(form.get("password") ?? ""),
      email: String(form.get("email") ?? ""),
    };
    await run(async () => {
      const result = await callApi("/api/auth/signup", { body });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      const signedIn = await signIn("credentials", { redirect: false, phone: body.phone, password: body.password });
      router.push(signedIn?.ok ? safeCallbackPath(callbackUrl, { origin: window.location.origin }) : "/signin");
      router.refresh();
    });
  }

  const fields = error?.fields ?? {};
  return (
    <form className="stack" method="post" onSubmit={onSubmit} noValidate aria-label="Create your account">
      {error && !error.fields && <Alert tone="error">{error.message}</Alert>}
      {error?.fields && <Alert tone="error">Please correct the highlighted fields.</Alert>}
      <TextField
        label="Mobile number"
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        required
        placeholder="98XXXXXXXX"
        error={fields.phone}
      />
      <TextField label="Full name" name="fullName" autoComplete="name" required error={fields.fullName} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters, with letters and numbers."
        error={fields.password}
      />
      <TextField
        label="Email (optional)"
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        hint="We will send a link to verify it."
        error={fields.email}
      />
      <SubmitButton pending={pending} pendingLabel="Creating account…" block>
        Create account
      </SubmitButton>
      <p className="center">
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </form>
  );
}
