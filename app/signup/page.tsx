import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { signUpAction } from "@/app/(account)/actions";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Only a path on this app (lib/safe-redirect.ts): an open redirect here is a phishing aid.
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <>
      <h1>Create your account</h1>
      <div className="card">
        <SignUpForm action={signUpAction} callbackUrl={callbackUrl} />
      </div>
    </>
  );
}
