import "server-only";
import { randomUUID } from "node:crypto";
import type { RequestMeta } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import type { CurrentUser } from "@/server/auth/current-user";
import { assertPaymentAmount, executeTransfer, findRecipient } from "@/server/wallet/transfer";
import { presentEntry, type EntryView } from "@/server/wallet/get-wallet";

/**
 * POST /api/wallet/transfers: pay someone now. Re-authentication comes first
 * (before anything that tells whether a number has an account). A client
 * that retries a request sends the same Idempotency-Key and gets the first
 * payment back instead of a second one; without a key every call is new.
 */
export async function payNow(options: {
  user: CurrentUser;
  toPhone: string;
  amount: number;
  note: string | null;
  password: string;
  meta: RequestMeta;
  idempotencyKey?: string | null;
  at?: Date;
}): Promise<{ entry: EntryView; replayed: boolean }> {
  const { user, amount } = options;
  assertPaymentAmount(amount);
  await checkPassword({ user, password: options.password, meta: options.meta });
  const recipient = await findRecipient(user.id, options.toPhone);
  const posted = await executeTransfer({
    payerId: user.id,
    recipientWalletId: recipient.walletId,
    amount,
    note: options.note,
    kind: "transfer",
    idempotencyKey: `transfer:${user.id}:${options.idempotencyKey ?? randomUUID()}`,
    at: options.at ?? new Date(),
  });
  return { entry: await presentEntry(posted.entryId, user.id), replayed: !posted.created };
}
