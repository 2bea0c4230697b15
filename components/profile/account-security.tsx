import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import type { ServerFormAction } from "@/components/forms/action-form";

/**
 * The account's security and data actions: change the password, sign out
 * everywhere (every browser, this one too), download the data, delete the account.
 */
export function AccountSecurity({ signOutEverywhere }: { signOutEverywhere: ServerFormAction }) {
  return (
    <section className="card stack" aria-labelledby="security-heading">
      <h2 id="security-heading">Security and your data</h2>
      <div className="button-row">
        <Link className="button button-secondary" href="/profile/password">
          Change password
        </Link>
        <SignOutButton
          action={signOutEverywhere}
          label="Sign out everywhere"
          className="button button-secondary"
          testId="sign-out-everywhere"
        />
      </div>
      <p className="muted">Signing out everywhere ends every session of your account, on this device too.</p>
      <div className="button-row">
        <a className="button button-secondary" href="/api/account/export" download>
          Download your data
        </a>
        <Link className="button button-danger" href="/profile/delete">
          Delete account
        </Link>
      </div>
    </section>
  );
}
