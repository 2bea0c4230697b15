"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { EmailForm } from "@/components/email/email-form";
import { PendingRequest } from "@/components/email/pending-request";
import { callApi } from "@/components/forms/api";
import { AccountSecurity } from "@/components/profile/account-security";
import { MoreOptionsMenu } from "@/components/profile/more-options-menu";
import { displayPhone } from "@/lib/phone";
import type { AccountView, EmailRequestView, UserView } from "@/lib/api";

// While a request is pending, its links may be confirmed on another device:
// the profile polls the account so it always shows the true state.
const POLL_MS = 3000;

export function ProfileCard(initial: AccountView) {
  const router = useRouter();
  const [account, setAccountView] = useState<AccountView>(initial);
  const [formOpen, setFormOpen] = useState(false);
  const { user, emailRequest } = account;
  const hasVerifiedEmail = user.email !== null && user.emailVerified;

  useEffect(() => {
    if (!emailRequest) return;
    const timer = setInterval(async () => {
      const result = await callApi<AccountView>("/api/account", { method: "GET" });
      if (result.ok) setAccountView(result.data);
      else if (result.status === 401) router.push("/signin");
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [emailRequest, router]);

  async function refresh(request: EmailRequestView | null) {
    setAccountView((current) => ({ ...current, emailRequest: request }));
    const result = await callApi<AccountView>("/api/account", { method: "GET" });
    if (result.ok) setAccountView(result.data);
  }

  return (
    <>
      <section className="card" aria-labelledby="profile-heading">
        <div className="card-header">
          <h2 id="profile-heading">{user.fullName}</h2>
          <MoreOptionsMenu items={[{ label: hasVerifiedEmail ? "Change email" : "Add email", onSelect: () => setFormOpen(true) }]}>
            <li role="none">
              <SignOutButton />
            </li>
          </MoreOptionsMenu>
        </div>
        <dl className="details-list">
          <div>
            <dt>Mobile number</dt>
            <dd data-testid="profile-phone">{displayPhone(user.phone)}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd data-testid="profile-email">
              {user.email ?? <span className="muted">No email added</span>} <EmailBadge user={user} />
            </dd>
          </div>
        </dl>
      </section>
      {formOpen && (
        <EmailForm
          mode={hasVerifiedEmail ? "change" : "add"}
          onCancel={() => setFormOpen(false)}
          onDone={(request) => {
            setFormOpen(false);
            void refresh(request);
          }}
        />
      )}
      {emailRequest && <PendingRequest key={emailRequest.id} request={emailRequest} />}
      <AccountSecurity />
    </>
  );
}

function EmailBadge({ user }: { user: UserView }) {
  if (!user.email) return null;
  return user.emailVerified ? (
    <span className="badge badge-success" data-testid="email-state">
      Verified
    </span>
  ) : (
    <span className="badge badge-warning" data-testid="email-state">
      Not verified
    </span>
  );
}
