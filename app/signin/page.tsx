import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { signInAction } from "@/app/(account)/actions";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Only a path on this app (lib/safe-redirect.ts): an open redirect here is a phishing aid.
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <>
      <h1>Sign in</h1>
      <div className="card">
        <SignInForm action={signInAction} callbackUrl={callbackUrl} />
      </div>
    </>
  );
}
