import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/profile");
  return (
    <>
      <h1>Create your account</h1>
      <div className="card">
        <SignUpForm />
      </div>
    </>
  );
}
