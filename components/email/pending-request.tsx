"use client";

import { useState } from "react";
import { callApi } from "@/components/forms/api";
import { useSubmit } from "@/components/forms/use-submit";
import { Alert } from "@/components/ui/alert";
import { formatTime } from "@/components/email/format";
import { secondsUntil, useNow } from "@/components/email/use-countdown";
import type { EmailRequestView } from "@/lib/api";

/** A pending request: which link is awaited, where it went, until when; resend and cancel. */
export function PendingRequest(props: { request: EmailRequestView; onChange: (request: EmailRequestView | null) => void }) {
  const { request } = props;
  const { pending, run } = useSubmit();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [retryAt, setRetryAt] = useState<string | null>(null);
  const now = useNow();
  const waitSeconds = secondsUntil(laterOf(request.resendAvailableAt, retryAt), now);
  const linkExpired = request.expiresAt !== null && Date.parse(request.expiresAt) <= now;

  async function resend() {
    await run(async () => {
      const result = await callApi<{ emailRequest: EmailRequestView }>("/api/account/email/resend");
      if (result.ok) {
        setMessage({ tone: "success", text: "A new link is on its way. Earlier links no longer work." });
        props.onChange(result.data.emailRequest);
      } else {
        if (result.retryAfterSeconds) setRetryAt(new Date(Date.now() + result.retryAfterSeconds * 1000).toISOString());
        setMessage({ tone: "error", text: result.error.message });
      }
    });
  }

  async function cancel() {
    await run(async () => {
      const result = await callApi("/api/account/email/request", { method: "DELETE" });
      if (result.ok || result.error.code === "NO_PENDING_REQUEST") props.onChange(null);
      else setMessage({ tone: "error", text: result.error.message });
    });
  }

  return (
    <section className="card stack" aria-labelledby="pending-heading" data-testid="pending-request">
      <h2 id="pending-heading">{heading(request)}</h2>
      <p data-testid="pending-status">{describe(request)}</p>
      {request.expiresAt && (
        <p className="muted" data-testid="pending-expiry">
          {linkExpired ? "This link has expired: ask for a new one." : `The link works until ${formatTime(request.expiresAt)}.`}
        </p>
      )}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="button-row">
        <button
          type="button"
          className="button button-secondary"
          onClick={resend}
          disabled={pending || waitSeconds > 0}
          data-testid="resend"
          suppressHydrationWarning
        >
          {waitSeconds > 0 ? `Resend in ${waitSeconds} s` : "Resend email"}
        </button>
        <button type="button" className="button button-danger" onClick={cancel} disabled={pending}>
          Cancel request
        </button>
      </div>
    </section>
  );
}

function heading(request: EmailRequestView): string {
  switch (request.step) {
    case "verify":
      return "Verify your email";
    case "change-old":
      return "Email change: step 1 of 2";
    case "change-new":
      return "Email change: step 2 of 2";
  }
}

function describe(request: EmailRequestView): string {
  // Only what the server knows: a link is "sent" once SMTP accepted it (issue 11, item 6).
  if (request.sendFailed) {
    return request.sentTo
      ? `We could not send a new link just now. The link we sent to ${request.sentTo} still works, or try again in a moment.`
      : "We could not send your link just now. We keep trying; you can also try again in a moment.";
  }
  if (!request.sentTo) return "We are still sending your link…";
  switch (request.step) {
    case "verify":
      return `We sent a verification link to ${request.sentTo}. Open it to verify your address.`;
    case "change-old":
      return `To change your email to ${request.newEmail}, first confirm the link we sent to your current address, ${request.sentTo}.`;
    case "change-new":
      return `Your current address confirmed the change. Now open the link we sent to ${request.sentTo}.`;
  }
}

function laterOf(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) > Date.parse(b) ? a : b;
}
