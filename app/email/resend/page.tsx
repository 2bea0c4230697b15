import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PendingRequest } from "@/components/email/pending-request";
import { Alert } from "@/components/ui/alert";
import { FocusHere } from "@/components/ui/focus-here";
import { getAccount } from "@/server/accounts/get-account";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Resend your email link", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

// UC07, signed in: the pending request (which hop, where its link went,
// masked, until when), the cooldown as a time rendered here, and resend and
// cancel as forms; their actions redirect back here with what happened.

const DONE: Record<string, string> = {
  resent: "A new link is on its way. Earlier links no longer work.",
  cancelled: "Your request was cancelled. Nothing was changed.",
};

export default async function ResendPage({ searchParams }: { searchParams: Promise<{ done?: string }> }) {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/email/resend");
  const { done } = await searchParams;
  const { emailRequest } = await getAccount(user);
  const notice = done ? DONE[done] : undefined;
  return (
    <>
      <h1>Your email link</h1>
      {notice && (
        // The resend and cancel forms come back here: focus goes to what they did (keyed, so each answer takes it).
        <FocusHere key={done}>
          <Alert tone="success" testId="resend-page-notice">
            {notice}
          </Alert>
        </FocusHere>
      )}
      {emailRequest ? (
        <PendingRequest request={emailRequest} />
      ) : (
        <section className="card stack" data-testid="nothing-pending">
          <p>No email request is pending. To add or change your email, use your profile.</p>
        </section>
      )}
      <p>
        <Link href="/profile">Back to your profile</Link>
      </p>
    </>
  );
}
