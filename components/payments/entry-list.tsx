import type { EntryView } from "@/lib/api";
import { formatPaisa } from "@/lib/money";
import { formatNepalTime } from "@/lib/nepal-time";

const KIND: Record<EntryView["kind"], string> = {
  top_up: "Test money added",
  transfer: "Payment",
  scheduled_payment: "Scheduled payment",
  reversal: "Reversal",
};

/** The latest ledger entries from this wallet's side: money in or out, with whom, the note and the Nepal time. */
export function EntryList({ entries }: { entries: EntryView[] }) {
  if (entries.length === 0) return <p className="muted">No payments yet.</p>;
  return (
    <ul className="entry-list" data-testid="wallet-entries">
      {entries.map((entry) => {
        const incoming = entry.amount > 0;
        const who = entry.counterparty ? `${entry.counterparty.name} (${entry.counterparty.phone})` : null;
        return (
          <li key={entry.id} className="entry" data-testid="wallet-entry">
            <div className="entry-main">
              <span className="entry-title">
                {incoming ? "Received" : "Sent"} · {KIND[entry.kind]}
              </span>
              <span className={incoming ? "amount-in" : "amount-out"}>
                {incoming ? "+" : "−"}
                {formatPaisa(Math.abs(entry.amount))}
              </span>
            </div>
            {who && (
              <div>
                {incoming ? "From" : "To"} {who}
              </div>
            )}
            {entry.note && <div className="muted">“{entry.note}”</div>}
            <div className="muted">
              <time dateTime={entry.createdAt}>{formatNepalTime(new Date(entry.createdAt))}</time>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
