"use client";

import { SignOutButton } from "@/components/auth/sign-out-button";
import { MoreOptionsMenu } from "@/components/profile/more-options-menu";
import { displayPhone } from "@/server/accounts/phone";
import type { UserView } from "@/server/accounts/present";

export function ProfileCard({ user }: { user: UserView }) {
  return (
    <section className="card" aria-labelledby="profile-heading">
      <div className="card-header">
        <h2 id="profile-heading">{user.fullName}</h2>
        <MoreOptionsMenu items={[]}>
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
            {user.email ?? <span className="muted">No email added</span>}{" "}
            <EmailBadge user={user} />
          </dd>
        </div>
      </dl>
    </section>
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
