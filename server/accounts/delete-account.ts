import "server-only";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { auditPseudonym } from "@/server/accounts/pseudonym";
import type { CurrentUser } from "@/server/auth/current-user";
import { checkPassword } from "@/server/auth/check-password";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { formatPaisa } from "@/lib/money";

/**
 * Erases the account after re-authentication (the lockout applies): the user
 * row and with it, by cascade, the email requests, their links and the
 * sessions (so every browser is signed out at once). The audit log keeps what
 * happened and when, but its rows lose the user id, IP, user agent and
 * addresses for a keyed pseudonym, through the one database function allowed
 * to rewrite audit rows (migration 20261123040000). The wallet and its ledger
 * history stay, without an owner; an account whose wallet holds money cannot
 * be deleted.
 */
export async function deleteAccount(options: { user: CurrentUser; password: string; meta: RequestMeta }): Promise<void> {
  const { user, password, meta } = options;
  try {
    await checkPassword({ user, password, meta });
  } catch (error) {
    await recordAudit({ userId: user.id, action: "account.delete_failed", meta });
    throw error;
  }
  await db.$transaction(async (tx) => {
    // Locking the row first keeps a concurrent audit insert for this user
    // (it needs a key-share lock on it) from landing between the
    // pseudonymisation and the delete, which the foreign key would refuse.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
    // Money is never lost: a wallet that holds any stays with its account.
    // Locked, so no payment lands between this check and the delete.
    const [wallet] = await tx.$queryRaw<{ balance: bigint }[]>`SELECT balance FROM wallets WHERE user_id = ${user.id}::uuid FOR UPDATE`;
    if (wallet && wallet.balance > 0n) {
      throw new AppError(
        "WALLET_NOT_EMPTY",
        `Your wallet still holds ${formatPaisa(Number(wallet.balance))}. Send it to another account before deleting this one.`,
      );
    }
    await recordAudit({ userId: user.id, action: "account.deleted", meta }, tx);
    await tx.$executeRaw`SELECT audit_pseudonymise(${user.id}::uuid, ${auditPseudonym(user.id)})`;
    await tx.user.delete({ where: { id: user.id } });
  });
}
