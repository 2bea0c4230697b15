import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requestEmailAction } from "@/app/(account)/actions";
import { EmailForm } from "@/components/email/email-form";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Your email" };
export const dynamic = "force-dynamic";

/** UC02–UC04: add an address, or change the verified one; reached from the profile's "more options" menu (UC01). */
export default async function EmailPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/profile/email");
  const mode = user.email !== null && user.emailVerifiedAt !== null ? "change" : "add";
  return (
    <>
      <h1>{mode === "add" ? "Add email" : "Change email"}</h1>
      <EmailForm action={requestEmailAction} mode={mode} />
    </>
  );
}
