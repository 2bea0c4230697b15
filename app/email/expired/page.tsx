import type { Metadata } from "next";
import Link from "next/link";
import { sendNewLinkAction } from "@/app/email/actions";
import { NewLinkForm } from "@/components/email/link-forms";
import { Alert } from "@/components/ui/alert";
import { FocusHere } from "@/components/ui/focus-here";
import { getExpiredLink } from "@/server/email-requests/resend-expired-link";

export const metadata: Metadata = { title: "Link expired", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

// UC06, a page of its own. Its URL carries a ticket, not the link's token:
// the ticket names the expired link for an hour and can only ask for a new
// link to the same address (server/email-requests/expired-link-ticket.ts).
// The landing page and the confirm form send people here.

export default async function ExpiredLinkPage({ searchParams }: { searchParams: Promise<{ ticket?: string | string[]; sent?: string }> }) {
  const { ticket: raw, sent } = await searchParams;
  const ticket = typeof raw === "string" ? raw : "";
  const link = await getExpiredLink(ticket);
  const whatNext = (
    <p>
      <Link href="/email/resend">Your pending request</Link> · <Link href="/profile">Go to your profile</Link>
    </p>
  );

  if (link.state === "invalid") {
    return (
      <section className="card stack" data-testid="expired-invalid">
        <h1>We cannot send a new link from here</h1>
        <p>
          This page is only valid for an hour after you opened the expired link. Open the link from your email again, or ask for a new one
          from your profile.
        </p>
        {whatNext}
      </section>
    );
  }
  if (sent === "1") {
    return (
      <section className="card stack" data-testid="expired-sent">
        <h1>Check your email</h1>
        <FocusHere>
          <Alert tone="success" testId="new-link-result">
            We sent a new link to {link.sentTo}. It replaces the one that expired.
          </Alert>
        </FocusHere>
        {whatNext}
      </section>
    );
  }
  return (
    <section className="card stack" data-testid={`expired-${link.state}`}>
      <h1>This link has expired</h1>
      <p>
        For your security, each link works for a limited time. This one, sent to <strong>{link.sentTo}</strong>, has expired and no longer
        changes anything.
      </p>
      {link.state === "expired" ? (
        <>
          <p>We can send a new link to the same address. It replaces this one.</p>
          <NewLinkForm action={sendNewLinkAction} ticket={ticket} />
          <p className="muted">If the whole request has ended (a change has a day to complete), start again from your profile.</p>
        </>
      ) : (
        <>
          <Alert tone="info" testId="expired-ended-reason">
            {link.reason?.message}
          </Alert>
          <p>No new link can be sent for this request. To add or change your email, start again from your profile.</p>
        </>
      )}
      {whatNext}
    </section>
  );
}
