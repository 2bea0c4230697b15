import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { PendingRequest } from "@/components/email/pending-request";
import type { ServerFormAction } from "@/components/forms/action-form";
import { AccountSecurity } from "@/components/profile/account-security";
import { MoreOptionsMenu } from "@/components/profile/more-options-menu";
import { RefreshWhilePending } from "@/components/profile/refresh-while-pending";
import { FocusHere } from "@/components/ui/focus-here";
import { displayPhone } from "@/lib/phone";
import type { AccountView, UserView } from "@/lib/api";

/**
 * The profile, rendered on the server and complete without JavaScript: the
 * account, the "more options" menu (UC01), the pending email request, and
 * the security actions. The forms' actions come from the page (app/ owns them).
 */
export function ProfileCard(
  props: AccountView & { actions: { signOut: ServerFormAction; signOutEverywhere: ServerFormAction }; focusRequest?: boolean },
) {
  const { user, emailRequest, actions } = props;
  const hasVerifiedEmail = user.email !== null && user.emailVerified;
  return (
    <>
      <section className="card" aria-labelledby="profile-heading">
        <div className="card-header">
          <h2 id="profile-heading">{user.fullName}</h2>
          <MoreOptionsMenu>
            <li>
              <Link href="/profile/email">{hasVerifiedEmail ? "Change email" : "Add email"}</Link>
            </li>
            <li>
              <Link href="/profile/password">Change password</Link>
            </li>
            <li>
              <Link href="/profile/delete">Delete account</Link>
            </li>
            <li>
              <SignOutButton action={actions.signOut} />
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
      {emailRequest &&
        (props.focusRequest ? (
          <FocusHere>
            <PendingRequest key={emailRequest.id} request={emailRequest} />
          </FocusHere>
        ) : (
          <PendingRequest key={emailRequest.id} request={emailRequest} />
        ))}
      {/* Its links may be confirmed on another device: while a request is pending, the page keeps itself current. */}
      <RefreshWhilePending active={emailRequest !== null} />
      <AccountSecurity signOutEverywhere={actions.signOutEverywhere} />
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
