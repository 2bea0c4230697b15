import "server-only";
import type { PasswordChanged } from "@/lib/api";
import { recordAudit, type RequestMeta } from "@/server/audit";
import type { CurrentUser } from "@/server/auth/current-user";
import { checkPassword } from "@/server/auth/check-password";
import { hashPassword } from "@/server/auth/password";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { log } from "@/server/logger";
import { formatEmailTime, sendEmail } from "@/server/mailer";

/**
 * A password change. The current password is checked like any sign-in (the
 * lockout counts it), so a borrowed unlocked phone or a stolen cookie cannot
 * take the account over; every other session ends (whoever knew the old
 * password is signed out), this one stays; and the verified address is told,
 * so the owner hears of a change they did not make.
 */
export async function changePassword(options: {
  user: CurrentUser;
  currentPassword: string;
  newPassword: string;
  meta: RequestMeta;
}): Promise<PasswordChanged> {
  const { user, currentPassword, newPassword, meta } = options;
  if (newPassword.includes(user.phone.slice(4))) {
    throw new AppError("INVALID_INPUT", "Do not use your mobile number in your password.", {
      fields: { newPassword: "Do not use your mobile number in your password." },
    });
  }
  try {
    await checkPassword({ user, password: currentPassword, meta });
  } catch (error) {
    await recordAudit({ userId: user.id, action: "account.password_change_failed", meta });
    throw error;
  }
  const passwordHash = await hashPassword(newPassword);
  const changedAt = new Date();
  const otherSessionsEnded = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const { count } = await tx.session.updateMany({
      where: { userId: user.id, endedAt: null, ...(user.sessionId && { id: { not: user.sessionId } }) },
      data: { endedAt: changedAt, endReason: "password_changed" },
    });
    await recordAudit({ userId: user.id, action: "account.password_changed", details: { otherSessionsEnded: count }, meta }, tx);
    return count;
  });

  // Only a verified address: an unverified one may not be the owner's.
  // The change stands whether or not the notice goes out; a failure is logged.
  if (user.email && user.emailVerifiedAt) {
    await sendEmail({
      to: user.email,
      template: "password-changed",
      props: { fullName: user.fullName, changedAt: formatEmailTime(changedAt) },
    }).catch((error: unknown) => log.error("password change notice not sent", { userId: user.id, error }));
  }
  return { changed: true, otherSessionsEnded };
}
