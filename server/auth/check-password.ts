import "server-only";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { passwordMatches } from "@/server/auth/password";
import { rules } from "@/lib/rules";

// UC05. Every password check (sign-in and re-authentication alike) goes
// through here: a locked account is refused before the password is even
// looked at, a failure is counted atomically in the database (parallel
// guesses cannot slip past the threshold), and a success resets the count.

type Checked = { id: string; passwordHash: string; lockedUntil: Date | null };

export async function checkPassword(options: { user: Checked; password: string; meta: RequestMeta }): Promise<void> {
  const { user, password, meta } = options;
  assertNotLocked(user.lockedUntil);

  if (await passwordMatches(user.passwordHash, password)) {
    await db.user.updateMany({
      where: { id: user.id, failedPasswordCount: { gt: 0 } },
      data: { failedPasswordCount: 0 },
    });
    return;
  }

  const [after] = await db.$queryRaw<{ failed_password_count: number; locked_until: Date | null }[]>`
    UPDATE users SET
      failed_password_count = CASE WHEN failed_password_count + 1 >= ${rules.lockoutThreshold} THEN 0 ELSE failed_password_count + 1 END,
      locked_until = CASE WHEN failed_password_count + 1 >= ${rules.lockoutThreshold}
                          THEN now() + make_interval(secs => ${rules.lockoutDurationMs / 1000})
                          ELSE locked_until END
    WHERE id = ${user.id}::uuid
    RETURNING failed_password_count, locked_until`;
  if (!after) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");

  if (after.locked_until && after.locked_until > new Date()) {
    await recordAudit({ userId: user.id, action: "auth.locked", meta });
    throw lockedError(after.locked_until);
  }
  const attemptsLeft = rules.lockoutThreshold - after.failed_password_count;
  throw new AppError(
    "WRONG_PASSWORD",
    `Wrong password. ${attemptsLeft} ${attemptsLeft === 1 ? "attempt" : "attempts"} left before your account is locked for ${rules.lockoutDurationMs / 60_000} minutes.`,
    { extra: { attemptsLeft } },
  );
}

export function assertNotLocked(lockedUntil: Date | null): void {
  if (lockedUntil && lockedUntil > new Date()) throw lockedError(lockedUntil);
}

function lockedError(until: Date): AppError {
  const seconds = Math.ceil((until.getTime() - Date.now()) / 1000);
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    "LOCKED",
    `Too many wrong passwords. Your account is locked; try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
    { retryAfter: seconds, extra: { lockedUntil: until.toISOString() } },
  );
}
