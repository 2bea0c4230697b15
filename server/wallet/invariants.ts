import "server-only";
import type { Db } from "@/server/db";

// The ledger's promises, as queries that must return nothing. Tests run them
// after every run that touches money (tests/setup, e2e teardown), the
// payments benchmark after its load, and operations export the first as a
// metric. The database enforces each of these at write time; this is the
// independent check that it did.

export type LedgerViolation = { rule: string; detail: string };

export async function ledgerViolations(db: Db): Promise<LedgerViolation[]> {
  const unbalanced = await db.$queryRaw<{ entry_id: string; total: bigint; postings: bigint }[]>`
    SELECT e.id::text AS entry_id, COALESCE(SUM(p.amount), 0)::bigint AS total, COUNT(p.id) AS postings
      FROM ledger_entries e LEFT JOIN ledger_postings p ON p.entry_id = e.id
     GROUP BY e.id HAVING COALESCE(SUM(p.amount), 0) <> 0 OR COUNT(p.id) < 2`;
  const drifted = await db.$queryRaw<{ wallet_id: string; balance: bigint; sum: bigint }[]>`
    SELECT w.id::text AS wallet_id, w.balance, COALESCE(SUM(p.amount), 0)::bigint AS sum
      FROM wallets w LEFT JOIN ledger_postings p ON p.wallet_id = w.id
     GROUP BY w.id HAVING w.balance <> COALESCE(SUM(p.amount), 0)`;
  const negative = await db.$queryRaw<{ wallet_id: string; balance: bigint }[]>`
    SELECT id::text AS wallet_id, balance FROM wallets WHERE system_code IS NULL AND balance < 0`;
  return [
    ...unbalanced.map((row) => ({
      rule: "entry sums to zero",
      detail: `entry ${row.entry_id}: ${row.postings} postings, sum ${row.total}`,
    })),
    ...drifted.map((row) => ({
      rule: "balance equals postings",
      detail: `wallet ${row.wallet_id}: balance ${row.balance}, postings ${row.sum}`,
    })),
    ...negative.map((row) => ({ rule: "no negative balance", detail: `wallet ${row.wallet_id}: ${row.balance}` })),
  ];
}
