import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signOutAction, signOutEverywhereAction } from "@/app/(account)/actions";
import { ProfileCard } from "@/components/profile/profile-card";
import { getAccount } from "@/server/accounts/get-account";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Profile" };
export const dynamic = "force-dynamic";

export default async function ProfilePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/profile");
  const account = await getAccount(user);
  return (
    <>
      <h1>Profile</h1>
      <ProfileCard
        {...account}
        actions={{ signOut: signOutAction, signOutEverywhere: signOutEverywhereAction }}
        // The email form comes back here: focus goes to the request it started.
        focusRequest={(await searchParams).requested === "1"}
      />
      <nav className="card button-row" aria-label="Money">
        <Link className="button button-secondary" href="/wallet">
          Wallet
        </Link>
        <Link className="button button-secondary" href="/payments">
          Scheduled payments
        </Link>
      </nav>
    </>
  );
}
