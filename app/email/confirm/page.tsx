import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ConfirmForm, StripToken } from "@/components/email/link-forms";
import { confirmLinkAction } from "@/app/email/actions";
import { getCurrentUser } from "@/server/auth/current-user";
import { getLinkState, type LinkState } from "@/server/email-requests/link-state";

export const metadata: Metadata = { title: "Confirm your email", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

// The link-landing page. It only reads: mail scanners open links before
// people do, so nothing changes until the person presses Confirm (a form
// POST). Every state is rendered here, on the server; an expired link goes
// to the expired-link page, whose URL carries a ticket instead of the token.

export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  const user = await getCurrentUser();
  const link = await getLinkState(token, user?.id ?? null);
  if (link.state === "expired" && link.ticket) redirect(`/email/expired?ticket=${encodeURIComponent(link.ticket)}`);
  return (
    <section className="card stack" data-testid={`link-${link.state}`}>
      <StripToken path="/email/confirm" />
      {render(link, token)}
    </section>
  );
}

const profile = (
  <p>
    <Link href="/profile">Go to your profile</Link>
  </p>
);

function render(link: LinkState, token: string) {
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
              <ConfirmForm action={confirmLinkAction} token={token} label="Confirm my email" />
            </>
          );
        case "change-old":
          return (
            <>
              <h1>Confirm the email change</h1>
              <p>
                Someone asked to change this account&apos;s email from <strong>{link.sentTo}</strong> to <strong>{link.newEmail}</strong>.
                If it was you, approve it; we will then send a link to the new address.
              </p>
              <p className="muted">If it was not you, do not approve it, and change your password.</p>
              {link.signedInAsOwner ? (
                <ConfirmForm action={confirmLinkAction} token={token} label="Yes, change my email" />
              ) : (
                <SignInToApprove token={token} signedIn={link.signedIn} />
              )}
            </>
          );
        case "change-new":
          return (
            <>
              <h1>Confirm your new email</h1>
              <p>
                Confirm <strong>{link.sentTo}</strong> as your account&apos;s new email address. This is the last step.
              </p>
              <ConfirmForm action={confirmLinkAction} token={token} label="Confirm new email" />
            </>
          );
      }
      break;
    case "expired":
      // Only reached if no ticket could be made; the redirect above handles the rest.
      return (
        <>
          <h1>This link has expired</h1>
          <p>For your security, links work for a limited time. Ask for a new one from your profile.</p>
          {profile}
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
          <p>
            <Link href="/email/resend">See where the latest link went</Link>
          </p>
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
          <p>Check that you opened the whole link from the email, or ask for a new one.</p>
          <p>
            <Link href="/email/resend">Ask for a new link</Link> · <Link href="/profile">Go to your profile</Link>
          </p>
        </>
      );
  }
}

/**
 * ADR 0018: the old address's hop needs the owner's session as well as the
 * link, so a scanner that runs JavaScript and presses buttons cannot approve
 * a change. Signing in brings the person back to this same link.
 */
function SignInToApprove({ token, signedIn }: { token: string; signedIn: boolean }) {
  const back = `/email/confirm?token=${encodeURIComponent(token)}`;
  return (
    <div className="stack" data-testid="sign-in-to-approve">
      {signedIn ? (
        <p>
          You are signed in to a different account. To approve this change, sign out, then sign in to the account it belongs to and open
          this link again.
        </p>
      ) : (
        <p>
          To approve a change of email, sign in to your account first. We ask for this because opening a link alone should never change your
          email.
        </p>
      )}
      {signedIn ? (
        <p>
          <Link href="/profile">Go to your profile to sign out</Link>
        </p>
      ) : (
        <Link
          className="button button-primary button-block"
          href={`/signin?callbackUrl=${encodeURIComponent(back)}`}
          data-testid="sign-in-to-approve-link"
        >
          Sign in to approve
        </Link>
      )}
    </div>
  );
}
