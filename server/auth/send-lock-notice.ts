import "server-only";
import { db } from "@/server/db";
import { formatEmailTime, sendEmail } from "@/server/mailer";

export type LockNoticeOutcome = { sent: true } | { sent: false; reason: string };

/**
 * Tells the account holder that wrong passwords locked their account. Runs
 * in a workflow step (inngest/functions/send-lock-notice.ts). Only a verified
 * address gets it: an unverified one may belong to someone else (anybody can
 * type any address at signup), and must not learn of this account's locks.
 */
export async function sendLockNotice(options: {
  userId: string;
  scope: "strangers" | "devices" | "everyone";
  lockedUntil: string;
}): Promise<LockNoticeOutcome> {
  const user = await db.user.findUnique({
    where: { id: options.userId },
    select: { fullName: true, email: true, emailVerifiedAt: true },
  });
  if (!user) return { sent: false, reason: "user not found" };
  if (!user.email || !user.emailVerifiedAt) return { sent: false, reason: "no verified email" };
  await sendEmail({
    to: user.email,
    template: "account-locked",
    props: { fullName: user.fullName, lockedUntil: formatEmailTime(new Date(options.lockedUntil)), scope: options.scope },
  });
  return { sent: true };
}
