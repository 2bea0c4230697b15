import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ProfileCard } from "@/components/profile/profile-card";
import { presentUser } from "@/server/accounts/present";
import { getCurrentUser } from "@/server/auth/current-user";
import { getPendingRequest } from "@/server/email/get-pending-request";
import { presentEmailRequest } from "@/server/email/present";

export const metadata: Metadata = { title: "Profile" };
export const dynamic = "force-dynamic";

export default async function ProfilePage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/profile");
  const request = await getPendingRequest(user.id);
  return (
    <>
      <h1>Profile</h1>
      <ProfileCard user={presentUser(user)} emailRequest={request && presentEmailRequest(request)} />
    </>
  );
}
