import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { deleteAccountAction } from "@/app/(account)/actions";
import { DeleteAccountForm } from "@/components/profile/delete-account-form";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Delete account" };
export const dynamic = "force-dynamic";

export default async function DeleteAccountPage() {
  if (!(await getCurrentUser())) redirect("/signin?callbackUrl=/profile/delete");
  return (
    <>
      <h1>Delete account</h1>
      <DeleteAccountForm action={deleteAccountAction} />
    </>
  );
}
