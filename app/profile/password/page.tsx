import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { changePasswordAction } from "@/app/(account)/actions";
import { PasswordForm } from "@/components/profile/password-form";
import { Alert } from "@/components/ui/alert";
import { FocusHere } from "@/components/ui/focus-here";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Change password" };
export const dynamic = "force-dynamic";

export default async function ChangePasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (!(await getCurrentUser())) redirect("/signin?callbackUrl=/profile/password");
  // The action comes back here with how many other sessions it ended.
  const changed = (await searchParams).changed;
  const ended = typeof changed === "string" && /^\d{1,4}$/.test(changed) ? Number(changed) : null;
  return (
    <>
      <h1>Change password</h1>
      {ended !== null && (
        <FocusHere>
          <Alert tone="success" testId="password-changed">
            Your password was changed. {ended > 0 ? `${ended} other ${ended === 1 ? "session was" : "sessions were"} signed out.` : ""}
          </Alert>
        </FocusHere>
      )}
      {/* A fresh form after a change: nothing typed survives it. */}
      <PasswordForm key={ended ?? "form"} action={changePasswordAction} />
    </>
  );
}
