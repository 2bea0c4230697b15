import { OCCURRENCE_STATUS } from "@/components/payments/format";
import type { OccurrenceView } from "@/lib/api";
import { formatNepalTime } from "@/lib/nepal-time";

/** Each payment of a schedule with its outcome, newest first. */
export function OccurrenceList({ occurrences }: { occurrences: OccurrenceView[] }) {
  if (occurrences.length === 0) return <p className="muted">Nothing has run yet.</p>;
  return (
    <ol className="entry-list" data-testid="occurrences" reversed>
      {occurrences.map((occurrence) => (
        <li key={occurrence.number} className="entry" data-testid="occurrence" data-status={occurrence.status}>
          <div className="entry-main">
            <span className="entry-title">Payment {occurrence.number}</span>
            <span
              className={`badge ${occurrence.status === "succeeded" ? "badge-success" : occurrence.status === "scheduled" ? "badge-muted" : "badge-warning"}`}
            >
              {OCCURRENCE_STATUS[occurrence.status]}
            </span>
          </div>
          <div className="muted">
            Due <time dateTime={occurrence.dueAt}>{formatNepalTime(new Date(occurrence.dueAt))}</time>
            {occurrence.attempts > 0 && ` · ${occurrence.attempts} ${occurrence.attempts === 1 ? "attempt" : "attempts"}`}
          </div>
          {occurrence.executedAt && (
            <div className="muted">
              {occurrence.status === "succeeded" ? "Paid" : "Ended"}{" "}
              <time dateTime={occurrence.executedAt}>{formatNepalTime(new Date(occurrence.executedAt))}</time>
            </div>
          )}
          {occurrence.failureReason && <div className="field-error">{occurrence.failureReason}</div>}
        </li>
      ))}
    </ol>
  );
}
