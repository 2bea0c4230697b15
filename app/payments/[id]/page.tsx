import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { cancelScheduleAction, pauseAction, rescheduleAction, resumeAction, skipNextAction } from "@/app/(payments)/actions";
import { endChoiceOf, endLabel, repeatLabel, SCHEDULE_STATUS } from "@/components/payments/format";
import { OccurrenceList } from "@/components/payments/occurrence-list";
import { RescheduleForm } from "@/components/payments/reschedule-form";
import { ScheduleButton } from "@/components/payments/schedule-button";
import { Alert } from "@/components/ui/alert";
import { formatPaisa } from "@/lib/money";
import { formatNepalTime, toNepalLocal } from "@/lib/nepal-time";
import { rupeesInputValue } from "@/lib/payment-forms";
import { getCurrentUser } from "@/server/auth/current-user";
import { isAppError } from "@/server/errors";
import { getSchedule } from "@/server/payments/schedules";

export const metadata: Metadata = { title: "Scheduled payment" };
export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What each action's redirect says on this page. */
const DONE: Record<string, string> = {
  scheduled: "Payment scheduled.",
  rescheduled: "Your changes are saved.",
  skipped: "The next payment is skipped.",
  paused: "Paused: nothing runs until you resume it.",
  resumed: "Resumed.",
  cancelled: "Cancelled: nothing more will be paid.",
};

export default async function SchedulePage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await props.params;
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/payments/${id}`)}`);
  // A malformed id and someone else's schedule look the same: not found.
  if (!UUID.test(id)) notFound();
  const detail = await getSchedule(user.id, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { schedule, occurrences } = detail;
  const done = (await props.searchParams).done;
  const doneMessage = typeof done === "string" ? DONE[done] : undefined;
  const status = SCHEDULE_STATUS[schedule.status];
  const active = schedule.status === "active";
  const recurring = schedule.repeat !== "none";
  const next = occurrences.find((occurrence) => occurrence.status === "scheduled" || occurrence.status === "retrying");
  // The next payment can be changed only before it starts (not while it waits to be retried).
  const changeable = active && schedule.nextRunAt !== null && next?.status !== "retrying";
  return (
    <>
      <h1>Scheduled payment</h1>
      {/* Announced (role=status) but not focused: a form of this page answered without JavaScript renders
          the page again with this URL, and then its first field in error must get the focus (the first autofocus wins). */}
      {doneMessage && (
        <Alert tone="success" testId="schedule-done">
          {doneMessage}
        </Alert>
      )}
      <section className="card" aria-labelledby="schedule-heading">
        <div className="card-header">
          <h2 id="schedule-heading">
            {formatPaisa(schedule.amount)} to {schedule.toName ?? "a deleted account"}
          </h2>
          <span className={`badge ${status.badge}`} data-testid="schedule-status">
            {status.label}
          </span>
        </div>
        <dl className="details-list">
          <div>
            <dt>Recipient</dt>
            <dd>
              {schedule.toName ?? "A deleted account"} ({schedule.toPhone})
            </dd>
          </div>
          <div>
            <dt>Amount</dt>
            <dd data-testid="schedule-amount">{formatPaisa(schedule.amount)}</dd>
          </div>
          {schedule.note && (
            <div>
              <dt>Note</dt>
              <dd>{schedule.note}</dd>
            </div>
          )}
          <div>
            <dt>Next payment</dt>
            <dd data-testid="schedule-next">
              {schedule.nextRunAt ? (
                <time dateTime={schedule.nextRunAt}>{formatNepalTime(new Date(schedule.nextRunAt))}</time>
              ) : (
                <span className="muted">None</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Repeat</dt>
            <dd data-testid="schedule-repeat">{repeatLabel(schedule.repeat)}</dd>
          </div>
          <div>
            <dt>Ends</dt>
            <dd>{endLabel(schedule)}</dd>
          </div>
          <div>
            <dt>Reminder</dt>
            <dd>{schedule.remind ? "By email, 24 hours before" : "Off"}</dd>
          </div>
        </dl>
        <div className="button-row">
          <Link className="button button-secondary" href="/payments">
            All scheduled payments
          </Link>
          <Link className="button button-secondary" href="/wallet">
            Wallet
          </Link>
        </div>
      </section>

      {changeable && (
        <RescheduleForm
          key={`${schedule.nextRunAt}-${schedule.amount}-${schedule.repeat}-${schedule.endsAfter}-${schedule.endsOn}`}
          action={rescheduleAction}
          scheduleId={schedule.id}
          current={{
            amount: rupeesInputValue(schedule.amount),
            nextRunAt: toNepalLocal(new Date(schedule.nextRunAt!)),
            repeat: schedule.repeat,
            end: endChoiceOf(schedule),
            endsAfter: schedule.endsAfter === null ? "" : String(schedule.endsAfter),
            endsOn: schedule.endsOn ?? "",
          }}
        />
      )}

      {(schedule.status === "active" || schedule.status === "paused") && (
        <section className="card stack" aria-labelledby="actions-heading">
          <h2 id="actions-heading">Actions</h2>
          {changeable && recurring && (
            <ScheduleButton action={skipNextAction} scheduleId={schedule.id} label="Skip the next payment" pendingLabel="Skipping…" />
          )}
          {changeable && recurring && (
            <ScheduleButton action={pauseAction} scheduleId={schedule.id} label="Pause" pendingLabel="Pausing…" />
          )}
          {schedule.status === "paused" && (
            <ScheduleButton
              action={resumeAction}
              scheduleId={schedule.id}
              label="Resume"
              pendingLabel="Resuming…"
              variant="primary"
              hint="It continues from its next time after now; what fell while paused is not paid."
            />
          )}
          <ScheduleButton
            action={cancelScheduleAction}
            scheduleId={schedule.id}
            label="Cancel this scheduled payment"
            pendingLabel="Cancelling…"
            variant="danger"
          />
        </section>
      )}

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <OccurrenceList occurrences={occurrences} />
      </section>
    </>
  );
}
