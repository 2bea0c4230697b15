import Link from "next/link";
import { repeatLabel, SCHEDULE_STATUS } from "@/components/payments/format";
import type { ScheduleView } from "@/lib/api";
import { formatPaisa } from "@/lib/money";
import { formatNepalTime } from "@/lib/nepal-time";

/** The user's schedules, newest first; each opens its own page. */
export function ScheduleList({ schedules }: { schedules: ScheduleView[] }) {
  if (schedules.length === 0) return <p className="muted">No scheduled payments yet.</p>;
  return (
    <ul className="entry-list" data-testid="schedule-list">
      {schedules.map((schedule) => {
        const status = SCHEDULE_STATUS[schedule.status];
        return (
          <li key={schedule.id} className="entry" data-testid="schedule-item">
            <div className="entry-main">
              <Link href={`/payments/${schedule.id}`} className="entry-title">
                {formatPaisa(schedule.amount)} to {schedule.toName ?? "a deleted account"} ({schedule.toPhone})
              </Link>
              <span className={`badge ${status.badge}`}>{status.label}</span>
            </div>
            <div className="muted">
              {repeatLabel(schedule.repeat)}
              {schedule.nextRunAt ? (
                <>
                  {" · next "}
                  <time dateTime={schedule.nextRunAt}>{formatNepalTime(new Date(schedule.nextRunAt))}</time>
                </>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
