"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { NETWORK_ERROR_MESSAGE } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { decodeSignInError } from "@/lib/sign-in-error";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const { pending, run } = useSubmit();
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(async () => {
      let result: Awaited<ReturnType<typeof signIn>>;
      try {
        result = await signIn("credentials", {
          redirect: false,
          phone: String(form.get("phone") ?? ""),
          password: String(form.get("password") ?? ""),
        });
      } catch {
        setError(NETWORK_ERROR_MESSAGE);
        return;
      }
      if (!result?.ok || result.error) {
        setError(decodeSignInError(result?.error).message);
        return;
      }
      setError(null);
      // Checked again here: the prop is one more way in for a value (lib/safe-redirect.ts).
      router.push(safeCallbackPath(callbackUrl, { origin: window.location.origin }));
      router.refresh();
    });
  }

  return (
    <form className="stack" method="post" onSubmit={onSubmit} noValidate aria-label="Sign in">
      {error && (
        <Alert tone="error" testId="sign-in-error">
          {error}
        </Alert>
      )}
      <TextField label="Mobile number" name="phone" type="tel" inputMode="tel" autoComplete="username" required placeholder="98XXXXXXXX" />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      <SubmitButton pending={pending} pendingLabel="Signing in…" block>
        Sign in
      </SubmitButton>
      <p className="center">
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </form>
  );
}
