import "server-only";
import type { Tx } from "@/server/db";
import type { LedgerEntryKind } from "@/server/generated/prisma/client";

// The only writer of the ledger. The database enforces the rules (migration
// 20261123060000): postings of an entry sum to zero, balances move only with
// postings and never below zero for a user wallet, one entry per idempotency
// key, nothing updated or deleted. This module adds the order of work that
// keeps concurrent payments correct and quick: lock the wallets involved, in
// one global order, before reading a balance or writing a posting.

export type Posting = { walletId: string; amount: bigint };

export type PostedEntry = { entryId: string; created: boolean };

/**
 * Locks the wallets (SELECT … FOR UPDATE, by id order, so that two
 * transactions touching the same wallets queue instead of deadlocking) and
 * returns their balances as of the lock: exact until the transaction ends.
 */
export async function lockWallets(tx: Tx, walletIds: string[]): Promise<Map<string, bigint>> {
  const ids = [...new Set(walletIds)].sort();
  const rows = await tx.$queryRaw<{ id: string; balance: bigint }[]>`
    SELECT id::text, balance FROM wallets WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
  if (rows.length !== ids.length) throw new Error("lockWallets: a wallet does not exist");
  return new Map(rows.map((row) => [row.id, row.balance]));
}

/** The entry already written under this key, if any (a replay changes nothing). */
export async function entryWithKey(tx: Tx, idempotencyKey: string): Promise<string | null> {
  const entry = await tx.ledgerEntry.findUnique({ where: { idempotencyKey }, select: { id: true } });
  return entry?.id ?? null;
}

/**
 * Writes one journal entry with its postings, or nothing when an entry with
 * the same idempotency key exists (then `created` is false and the id is the
 * earlier entry's). Call inside a transaction that has locked the wallets.
 */
export async function postEntry(
  tx: Tx,
  entry: { idempotencyKey: string; kind: LedgerEntryKind; note?: string | null; postings: Posting[]; at: Date },
): Promise<PostedEntry> {
  const total = entry.postings.reduce((sum, posting) => sum + posting.amount, 0n);
  if (entry.postings.length < 2 || total !== 0n || entry.postings.some((posting) => posting.amount === 0n)) {
    throw new Error("postEntry: postings must be non-zero and sum to zero");
  }
  // ON CONFLICT DO NOTHING: a concurrent writer of the same key makes this
  // wait for its outcome, then either finds its entry or writes this one.
  const [inserted] = await tx.ledgerEntry.createManyAndReturn({
    data: [{ idempotencyKey: entry.idempotencyKey, kind: entry.kind, note: entry.note ?? null, createdAt: entry.at }],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!inserted) {
    const existing = await entryWithKey(tx, entry.idempotencyKey);
    if (!existing) throw new Error("postEntry: the conflicting entry vanished");
    return { entryId: existing, created: false };
  }
  // Postings in wallet order too: the balance trigger updates each wallet row.
  const postings = [...entry.postings].sort((a, b) => (a.walletId < b.walletId ? -1 : a.walletId > b.walletId ? 1 : 0));
  await tx.ledgerPosting.createMany({
    data: postings.map((posting) => ({ entryId: inserted.id, walletId: posting.walletId, amount: posting.amount, createdAt: entry.at })),
  });
  return { entryId: inserted.id, created: true };
}

/** Paisa this wallet paid out (transfers and scheduled payments) since `since`. */
export async function outgoingSince(tx: Tx, walletId: string, since: Date): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ spent: bigint }[]>`
    SELECT COALESCE(-SUM(p.amount), 0)::bigint AS spent
      FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id
     WHERE p.wallet_id = ${walletId}::uuid AND p.amount < 0 AND p.created_at >= ${since}
       AND e.kind IN ('transfer', 'scheduled_payment')`;
  return row?.spent ?? 0n;
}
