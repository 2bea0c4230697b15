import "server-only";
import { randomUUID } from "node:crypto";
import { formatPaisa } from "@/lib/money";
import { paymentRules } from "@/lib/rules";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { lockWallets, postEntry } from "@/server/wallet/ledger";
import { presentEntry, type EntryView } from "@/server/wallet/get-wallet";

/** Real top-ups (banks, cards) are out of scope: this one exists for development and tests only. */
export function topUpsEnabled(): boolean {
  return env.APP_ENV === "local" || env.APP_ENV === "e2e";
}

/** Money into a wallet from the `top_ups` system wallet (which goes negative by design). */
export async function topUp(options: { userId: string; amount: number; idempotencyKey?: string; at?: Date }): Promise<EntryView> {
  if (!topUpsEnabled()) throw new AppError("NOT_FOUND", "Top-ups are not available.");
  const { amount } = options;
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > paymentRules.maxTopUpPaisa) {
    const message = `Enter an amount from ${formatPaisa(1)} to ${formatPaisa(paymentRules.maxTopUpPaisa)}.`;
    throw new AppError("INVALID_INPUT", message, { fields: { amount: message } });
  }
  const posted = await db.$transaction(async (tx) => {
    const wallet = await tx.wallet.findUniqueOrThrow({ where: { userId: options.userId }, select: { id: true } });
    const source = await tx.wallet.findUniqueOrThrow({ where: { systemCode: "top_ups" }, select: { id: true } });
    await lockWallets(tx, [wallet.id, source.id]);
    return postEntry(tx, {
      idempotencyKey: `top-up:${options.userId}:${options.idempotencyKey ?? randomUUID()}`,
      kind: "top_up",
      at: options.at ?? new Date(),
      postings: [
        { walletId: source.id, amount: -BigInt(amount) },
        { walletId: wallet.id, amount: BigInt(amount) },
      ],
    });
  });
  return presentEntry(posted.entryId, options.userId);
}
