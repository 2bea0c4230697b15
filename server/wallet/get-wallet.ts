import "server-only";
import type { EntryView, WalletView } from "@/lib/api";
import { maskPhone } from "@/lib/phone";
import { paymentRules } from "@/lib/rules";
import { db } from "@/server/db";
import type { LedgerEntryKind } from "@/server/generated/prisma/client";

// What the wallet page and GET /api/wallet show: the balance and the latest
// entries, each from the owner's side (money out is negative).

export type { EntryView, WalletView };

const ENTRY_SELECT = {
  amount: true,
  entry: {
    select: {
      id: true,
      kind: true,
      note: true,
      createdAt: true,
      postings: { select: { walletId: true, wallet: { select: { user: { select: { fullName: true, phone: true } } } } } },
    },
  },
  walletId: true,
} as const;

type PostingRow = {
  amount: bigint;
  walletId: string;
  entry: {
    id: string;
    kind: LedgerEntryKind;
    note: string | null;
    createdAt: Date;
    postings: { walletId: string; wallet: { user: { fullName: string; phone: string } | null } }[];
  };
};

function present(row: PostingRow): EntryView {
  const other = row.entry.postings.find((posting) => posting.walletId !== row.walletId)?.wallet.user ?? null;
  return {
    id: row.entry.id,
    kind: row.entry.kind,
    amount: Number(row.amount),
    counterparty: other && { name: other.fullName, phone: maskPhone(other.phone) },
    note: row.entry.note,
    createdAt: row.entry.createdAt.toISOString(),
  };
}

export async function getWallet(userId: string): Promise<WalletView> {
  const wallet = await db.wallet.findUniqueOrThrow({
    where: { userId },
    select: {
      balance: true,
      currency: true,
      postings: { select: ENTRY_SELECT, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: paymentRules.latestEntries },
    },
  });
  return { wallet: { balance: Number(wallet.balance), currency: "NPR" }, entries: wallet.postings.map(present) };
}

/** One entry from the side of this user's wallet. */
export async function presentEntry(entryId: string, userId: string): Promise<EntryView> {
  const row = await db.ledgerPosting.findFirstOrThrow({ where: { entryId, wallet: { userId } }, select: ENTRY_SELECT });
  return present(row);
}
