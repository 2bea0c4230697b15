import "server-only";
import { formatPaisa } from "@/lib/money";
import { startOfNepalDay } from "@/lib/nepal-time";
import { paymentRules } from "@/lib/rules";
import { db, type Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import type { LedgerEntryKind } from "@/server/generated/prisma/client";
import { entryWithKey, lockWallets, outgoingSince, postEntry, type PostedEntry } from "@/server/wallet/ledger";

const DAY_MS = 24 * 60 * 60 * 1000;

/** An amount the rules allow for one payment, or INVALID_INPUT naming the bounds. */
export function assertPaymentAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < paymentRules.minPaymentPaisa || amount > paymentRules.maxPaymentPaisa) {
    const message = `Enter an amount from ${formatPaisa(paymentRules.minPaymentPaisa)} to ${formatPaisa(paymentRules.maxPaymentPaisa)}.`;
    throw new AppError("INVALID_INPUT", message, { fields: { amount: message } });
  }
}

/** The recipient's account and wallet by mobile number (canonical), refusing unknown numbers and oneself. */
export async function findRecipient(payerId: string, toPhone: string) {
  const recipient = await db.user.findUnique({
    where: { phone: toPhone },
    select: { id: true, fullName: true, phone: true, email: true, emailVerifiedAt: true, wallet: { select: { id: true } } },
  });
  if (!recipient?.wallet) {
    throw new AppError("RECIPIENT_NOT_FOUND", "No wallet account has this mobile number. Check the number and try again.", {
      fields: { toPhone: "No wallet account has this mobile number." },
    });
  }
  if (recipient.id === payerId) {
    throw new AppError("SELF_TRANSFER", "You cannot pay yourself. Enter someone else's mobile number.", {
      fields: { toPhone: "This is your own number." },
    });
  }
  return { ...recipient, walletId: recipient.wallet.id };
}

export type TransferOrder = {
  payerId: string;
  recipientWalletId: string;
  amount: number;
  note: string | null;
  kind: Extract<LedgerEntryKind, "transfer" | "scheduled_payment">;
  idempotencyKey: string;
  /** The app's now: which Nepal day the daily limit counts, and the entry's time. */
  at: Date;
};

/**
 * Moves money from the payer's wallet to the recipient's: one entry, or none
 * when the key was used before (the earlier entry is returned). Under the
 * wallets' locks, in this order: replay, funds, the daily limit, the entry.
 * The database's CHECK and unique key stand behind each of these checks.
 */
export async function executeTransfer(order: TransferOrder): Promise<PostedEntry> {
  return db.$transaction((tx) => transferIn(tx, order));
}

/** executeTransfer inside the caller's transaction (a scheduled payment locks its schedule first). */
export async function transferIn(tx: Tx, order: TransferOrder): Promise<PostedEntry> {
  const payer = await tx.wallet.findUniqueOrThrow({ where: { userId: order.payerId }, select: { id: true } });
  const balances = await lockWallets(tx, [payer.id, order.recipientWalletId]);
  const earlier = await entryWithKey(tx, order.idempotencyKey);
  if (earlier) return { entryId: earlier, created: false };

  const amount = BigInt(order.amount);
  const balance = balances.get(payer.id)!;
  if (balance < amount) {
    throw new AppError("INSUFFICIENT_FUNDS", `Your balance (${formatPaisa(Number(balance))}) is less than ${formatPaisa(order.amount)}.`);
  }
  const dayStart = startOfNepalDay(order.at);
  const spent = await outgoingSince(tx, payer.id, dayStart);
  if (spent + amount > BigInt(paymentRules.maxOutgoingPerDayPaisa)) {
    const retryAt = new Date(dayStart.getTime() + DAY_MS);
    throw new AppError(
      "LIMIT_EXCEEDED",
      `This payment would take today's outgoing payments over ${formatPaisa(paymentRules.maxOutgoingPerDayPaisa)} (already paid today: ${formatPaisa(Number(spent))}). The limit resets at midnight Nepal time.`,
      { extra: { retryAt: retryAt.toISOString() }, retryAfter: (retryAt.getTime() - order.at.getTime()) / 1000 },
    );
  }
  return postEntry(tx, {
    idempotencyKey: order.idempotencyKey,
    kind: order.kind,
    note: order.note,
    at: order.at,
    postings: [
      { walletId: payer.id, amount: -amount },
      { walletId: order.recipientWalletId, amount },
    ],
  });
}
