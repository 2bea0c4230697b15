import type { Metadata } from "next";
import Link from "next/link";
import { maskEmail } from "@/lib/email-address";
import { Alert } from "@/components/ui/alert";
import { FocusHere } from "@/components/ui/focus-here";
import { getAccount } from "@/server/accounts/get-account";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Email confirmation", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

// Where the confirm form lands (a 303 from the action): the outcome, or why
// the confirm failed. Its URL names the outcome or the error code, never the
// token, so the address bar, history and any Referer are clean.

const FAILURES: Record<string, { title: string; text: string }> = {
  LINK_USED: { title: "This link has already been used", text: "Each link works once. Your profile shows where things stand." },
  LINK_SUPERSEDED: {
    title: "This link has been replaced",
    text: "A newer link was sent, or a newer request was made. Use the latest email we sent you.",
  },
  LINK_CANCELLED: { title: "This request was cancelled", text: "Nothing was changed. You can start again from your profile." },
  LINK_INVALID: { title: "This link is not valid", text: "Check that you opened the whole link from the email, or ask for a new one." },
  EMAIL_TAKEN: {
    title: "This address was not linked",
    text: "Another account confirmed this address first, so it was not linked to yours.",
  },
};

export default async function ConfirmedPage({ searchParams }: { searchParams: Promise<{ outcome?: string; failed?: string }> }) {
  const { outcome, failed } = await searchParams;
  const links = (
    <p>
      <Link href="/profile">Go to your profile</Link> · <Link href="/email/resend">Your pending request</Link>
    </p>
  );

  const failure = failed ? FAILURES[failed] : undefined;
  if (failure) {
    return (
      <section className="card stack" data-testid={`confirm-failed-${failed}`}>
        <h1>{failure.title}</h1>
        <FocusHere>
          <Alert tone="error" testId="confirm-error">
            {failure.text}
          </Alert>
        </FocusHere>
        {links}
      </section>
    );
  }

  switch (outcome) {
    case "verified":
      return (
        <section className="card stack" data-testid="outcome-verified">
          <h1>Email verified</h1>
          <FocusHere>
            <Alert tone="success" testId="confirm-outcome">
              Your email address is verified and linked to your account.
            </Alert>
          </FocusHere>
          {links}
        </section>
      );
    case "old-confirmed":
      return <OldConfirmed links={links} />;
    case "changed":
      return (
        <section className="card stack" data-testid="outcome-changed">
          <h1>Email changed</h1>
          <FocusHere>
            <Alert tone="success" testId="confirm-outcome">
              Your email address has been changed and verified. Other devices signed in to your account have been signed out.
            </Alert>
          </FocusHere>
          {links}
        </section>
      );
    default:
      return (
        <section className="card stack" data-testid="outcome-unknown">
          <h1>Email confirmation</h1>
          <p>Your profile shows where things stand.</p>
          {links}
        </section>
      );
  }
}

/** Step 1 of 2 done: the owner approved (signed in, ADR 0018), so their pending request says where step 2's link goes. */
async function OldConfirmed({ links }: { links: React.ReactNode }) {
  const user = await getCurrentUser();
  const request = user ? (await getAccount(user)).emailRequest : null;
  const to = request?.step === "change-new" ? maskEmail(request.newEmail) : null;
  return (
    <section className="card stack" data-testid="outcome-old-confirmed">
      <h1>Now check your new address</h1>
      <FocusHere>
        <Alert tone="success" testId="confirm-outcome">
          {to
            ? `Confirmed. Now check ${to}: we are sending a link there to finish the change.`
            : "Confirmed. Now check your new address: we are sending a link there to finish the change."}
        </Alert>
      </FocusHere>
      {links}
    </section>
  );
}
