import "server-only";
import type { Db } from "@/server/db";

// The ledger's promises (every entry sums to zero, every balance equals its
// postings, no user wallet below zero), as the database function
// ledger_violations() of migration 20261123060000: one definition, used
// here, by the e2e teardown and by the metrics.

export type LedgerViolation = { rule: string; detail: string };

export async function ledgerViolations(db: Db): Promise<LedgerViolation[]> {
  return db.$queryRaw<LedgerViolation[]>`SELECT rule, detail FROM ledger_violations()`;
}
