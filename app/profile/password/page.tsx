import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PasswordForm } from "@/components/profile/password-form";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Change password" };
export const dynamic = "force-dynamic";

export default async function ChangePasswordPage() {
  if (!(await getCurrentUser())) redirect("/signin?callbackUrl=/profile/password");
  return (
    <>
      <h1>Change password</h1>
      <PasswordForm />
    </>
  );
}
