import type { Metadata } from "next";
import Link from "next/link";
import { ConfirmPanel, NewLinkButton } from "@/components/email/confirm-panel";
import { getLinkState, type LinkState } from "@/server/email-requests/link-state";

export const metadata: Metadata = { title: "Confirm your email", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

// The link-landing page. It only reads: mail scanners open links before
// people do, so nothing changes until the person presses Confirm (a POST).

export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const link = await getLinkState(token);
  return (
    <section className="card stack" data-testid={`link-${link.state}`}>
      {render(link, typeof token === "string" ? token : "")}
    </section>
  );
}

function render(link: LinkState, token: string) {
  const profile = (
    <p>
      <Link href="/profile">Go to your profile</Link>
    </p>
  );
  switch (link.state) {
    case "valid":
      switch (link.step) {
        case "verify":
          return (
            <>
              <h1>Verify your email</h1>
              <p>
                Confirm that <strong>{link.sentTo}</strong> is your email address and link it to your wallet account.
              </p>
              <ConfirmPanel token={token} label="Confirm my email" />
            </>
          );
        case "change-old":
          return (
            <>
              <h1>Confirm the email change</h1>
              <p>
                Someone asked to change this account&apos;s email from <strong>{link.sentTo}</strong> to <strong>{link.newEmail}</strong>.
                If it was you, confirm; we will then send a link to the new address.
              </p>
              <p className="muted">If it was not you, do not confirm, and change your password.</p>
              <ConfirmPanel token={token} label="Yes, change my email" />
            </>
          );
        case "change-new":
          return (
            <>
              <h1>Confirm your new email</h1>
              <p>
                Confirm <strong>{link.sentTo}</strong> as your account&apos;s new email address. This is the last step.
              </p>
              <ConfirmPanel token={token} label="Confirm new email" />
            </>
          );
      }
      break;
    case "expired":
      return (
        <>
          <h1>This link has expired</h1>
          <p>For your security, links work for a limited time. We can send a new one to {link.sentTo}.</p>
          <NewLinkButton token={token} />
        </>
      );
    case "used":
      return (
        <>
          <h1>This link has already been used</h1>
          <p>Each link works once. Your profile shows where things stand.</p>
          {profile}
        </>
      );
    case "superseded":
      return (
        <>
          <h1>This link has been replaced</h1>
          <p>A newer link was sent, or a newer request was made. Use the latest email we sent you.</p>
          {profile}
        </>
      );
    case "cancelled":
      return (
        <>
          <h1>This request was cancelled</h1>
          <p>Nothing was changed. You can start again from your profile.</p>
          {profile}
        </>
      );
    case "invalid":
      return (
        <>
          <h1>This link is not valid</h1>
          <p>Check that you opened the whole link from the email, or ask for a new one from your profile.</p>
          {profile}
        </>
      );
  }
}
