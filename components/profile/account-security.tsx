"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, type ApiError } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";

/**
 * The account's security and data actions: change the password, sign out
 * everywhere (every browser, this one too), download the data, delete the account.
 */
export function AccountSecurity() {
  const router = useRouter();
  const { pending, run } = useSubmit();
  const [error, setError] = useState<ApiError | null>(null);

  async function signOutEverywhere() {
    await run(async () => {
      const result = await callApi<{ ended: true }>("/api/account/sessions/end");
      // 401: this session had already ended; either way, sign in again.
      if (result.ok || result.status === 401) {
        router.replace("/signin");
        router.refresh();
        return;
      }
      setError(result.error);
    });
  }

  return (
    <section className="card stack" aria-labelledby="security-heading">
      <h2 id="security-heading">Security and your data</h2>
      {error && (
        <Alert tone="error" testId="security-error">
          {error.message}
        </Alert>
      )}
      <div className="button-row">
        <a className="button button-secondary" href="/profile/password">
          Change password
        </a>
        <button
          type="button"
          className="button button-secondary"
          onClick={signOutEverywhere}
          disabled={pending}
          data-testid="sign-out-everywhere"
        >
          {pending ? "Signing out…" : "Sign out everywhere"}
        </button>
      </div>
      <p className="muted">Signing out everywhere ends every session of your account, on this device too.</p>
      <div className="button-row">
        <a className="button button-secondary" href="/api/account/export" download>
          Download your data
        </a>
        <a className="button button-danger" href="/profile/delete">
          Delete account
        </a>
      </div>
    </section>
  );
}
