"use client";

import Link from "next/link";
import { useState } from "react";
import { callApi } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";
import type { ConfirmOutcome as Outcome, ResentLink } from "@/lib/api";

/** The Confirm button of a valid link: the POST consumes the token; the page shows the outcome in place. */
export function ConfirmPanel({ token, label }: { token: string; label: string }) {
  const { pending, run } = useSubmit();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    await run(async () => {
      const result = await callApi<Outcome>("/api/email/confirm", { body: { token } });
      if (result.ok) {
        setError(null);
        setOutcome(result.data);
      } else {
        setError(result.error.message);
      }
    });
  }

  if (outcome) {
    return (
      <div className="stack" data-testid="confirm-outcome">
        <Alert tone="success">{describe(outcome)}</Alert>
        <p>
          <Link href="/profile">Go to your profile</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="stack">
      {error && (
        <Alert tone="error" testId="confirm-error">
          {error}
        </Alert>
      )}
      <button
        type="button"
        className="button button-primary button-block"
        onClick={confirm}
        disabled={pending}
        aria-busy={pending || undefined}
      >
        {pending ? "Confirming…" : label}
      </button>
    </div>
  );
}

function describe(outcome: Outcome): string {
  switch (outcome.outcome) {
    case "verified":
      return "Your email address is verified and linked to your account.";
    case "old-confirmed":
      return `Confirmed. Now check ${outcome.nextSentTo}: we are sending a link there to finish the change.`;
    case "changed":
      return "Your email address has been changed and verified.";
  }
}

/** UC06: "send me a new link" on an expired link's page. */
export function NewLinkButton({ token }: { token: string }) {
  const { pending, run } = useSubmit();
  const [result, setResult] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  async function send() {
    await run(async () => {
      const answer = await callApi<ResentLink>("/api/email/resend-link", { body: { token } });
      setResult(
        answer.ok
          ? { tone: "success", text: `We sent a new link to ${answer.data.sentTo}. It replaces this one.` }
          : { tone: "error", text: answer.error.message },
      );
    });
  }

  if (result?.tone === "success")
    return (
      <Alert tone="success" testId="new-link-result">
        {result.text}
      </Alert>
    );
  return (
    <div className="stack">
      {result && (
        <Alert tone="error" testId="new-link-result">
          {result.text}
        </Alert>
      )}
      <button type="button" className="button button-primary button-block" onClick={send} disabled={pending}>
        {pending ? "Sending…" : "Send me a new link"}
      </button>
    </div>
  );
}
