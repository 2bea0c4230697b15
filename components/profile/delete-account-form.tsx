"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, type ApiError } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** DELETE /api/account after re-authentication; then the browser leaves for the sign-up page. */
export function DeleteAccountForm() {
  const router = useRouter();
  const { pending, run } = useSubmit();
  const [error, setError] = useState<ApiError | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(async () => {
      const result = await callApi<{ deleted: true }>("/api/account", {
        method: "DELETE",
        body: { password: String(form.get("password") ?? "") },
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.replace("/signup");
      router.refresh();
    });
  }

  return (
    <form className="card stack" method="post" onSubmit={onSubmit} noValidate aria-label="Delete account">
      <p>
        This erases your account, your email addresses and your requests, and signs you out everywhere. It cannot be undone. Our security
        log keeps what happened and when, without your name, number or address.
      </p>
      {error && (
        <Alert tone="error" testId="delete-form-error">
          {error.message}
        </Alert>
      )}
      <TextField
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        hint="To keep your account safe, confirm it is you."
      />
      <div className="button-row">
        <SubmitButton pending={pending} pendingLabel="Deleting…" variant="danger">
          Delete my account
        </SubmitButton>
        <a className="button button-secondary" href="/profile">
          Keep my account
        </a>
      </div>
    </form>
  );
}
