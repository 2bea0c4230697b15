import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { scheduleAction } from "@/app/(payments)/actions";
import { ScheduleForm } from "@/components/payments/schedule-form";
import { ScheduleList } from "@/components/payments/schedule-list";
import { getCurrentUser } from "@/server/auth/current-user";
import { listSchedules } from "@/server/payments/schedules";

export const metadata: Metadata = { title: "Scheduled payments" };
export const dynamic = "force-dynamic";

export default async function PaymentsPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/payments");
  const schedules = await listSchedules(user.id);
  return (
    <>
      <h1>Scheduled payments</h1>
      <section className="card" aria-labelledby="schedules-heading">
        <h2 id="schedules-heading">Your schedules</h2>
        <ScheduleList schedules={schedules} />
        <div className="button-row">
          <Link className="button button-secondary" href="/wallet">
            Wallet
          </Link>
          <Link className="button button-secondary" href="/profile">
            Profile
          </Link>
        </div>
      </section>
      <ScheduleForm action={scheduleAction} />
    </>
  );
}
