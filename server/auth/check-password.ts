import "server-only";
import { passwordLocked } from "@/lib/events";
import { rules } from "@/lib/rules";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { isDeviceOf } from "@/server/auth/device-cookie";
import { hashPassword, needsRehash, passwordMatches } from "@/server/auth/password";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { metrics } from "@/server/metrics";
import { enqueue } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";

// UC05. Every password check (sign-in and re-authentication alike) goes
// through here, and every guess is paid for before it is looked at:
//
// 1. One conditional UPDATE reserves the attempt: it counts it as a failure
//    in advance and refuses when the account is locked. The reservation that
//    reaches the threshold sets the lock in the same statement, so of any
//    burst at most `lockoutThreshold` guesses get past this point: the rest
//    answer LOCKED without argon2 running.
// 2. Only then argon2 verifies, against the hash read by that same UPDATE
//    (never a copy the caller read before a lock landed).
// 3. A success gives the reservation back (the count restarts, a lock this
//    very attempt set is lifted); a failure keeps it.
//
// Lockout as a weapon: clients without a valid device cookie ("strangers")
// share one count and lock; browsers that signed in to the account before
// have their own, so strangers cannot lock the owner out. Every failure, from
// anyone, also counts towards an account-wide ceiling per hour, which locks
// everyone, device holders too, so distributed guessing stays bounded.

type Scope = "strangers" | "devices";
type Purpose = "sign-in" | "reauth";

// Column names by scope: fixed identifiers, never input.
const COLUMNS = {
  strangers: { count: Prisma.raw("failed_password_count"), lock: Prisma.raw("locked_until") },
  devices: { count: Prisma.raw("device_failed_password_count"), lock: Prisma.raw("device_locked_until") },
} as const;

type Reservation = {
  password_hash: string;
  count: number;
  locked_until: Date | null;
  account_locked_until: Date | null;
};

export async function checkPassword(options: {
  user: { id: string };
  password: string;
  meta: RequestMeta;
  /** Anything but sign-in is a re-authentication (e.g. POST /api/account/email). */
  purpose?: Purpose;
}): Promise<void> {
  const { user, password, meta, purpose = "reauth" } = options;
  const scope: Scope = isDeviceOf(meta.deviceCookie, user.id) ? "devices" : "strangers";
  const failed = purpose === "sign-in" ? "auth.sign_in_failed" : "auth.reauth_failed";

  const reserved = await reserveAttempt(user.id, scope);
  if (!reserved.ok) {
    await recordAudit({ userId: user.id, action: failed, details: { scope, reason: "locked" }, meta });
    throw lockedError(reserved.until);
  }
  const { row, setLock, setAccountLock } = reserved;

  if (await passwordMatches(row.password_hash, password)) {
    await giveBack(user.id, scope, { setLock, setAccountLock });
    if (needsRehash(row.password_hash)) await upgradeHash(user.id, row.password_hash, password);
    return;
  }

  await recordAudit({ userId: user.id, action: failed, details: { scope, reason: "wrong_password" }, meta });
  metrics.passwordFailures.inc({ purpose });
  if (setLock || setAccountLock) {
    const lockScope = setAccountLock ? "everyone" : scope;
    const until = latest(setLock ? row.locked_until : null, setAccountLock ? row.account_locked_until : null)!;
    // The lock's audit row and the notice's event commit together (ADR 0016).
    const outbox = await db.$transaction(async (tx) => {
      await recordAudit(
        { userId: user.id, action: "auth.locked", details: { scope: lockScope, lockedUntil: until.toISOString() }, meta },
        tx,
      );
      return enqueue(
        tx,
        passwordLocked.create(
          { userId: user.id, scope: lockScope, lockedUntil: until.toISOString() },
          // One notice per lock, however often the event is sent.
          { id: `password-locked-${user.id}-${until.getTime()}` },
        ),
      );
    });
    relayAfterCommit(outbox);
    metrics.lockouts.inc({ scope: lockScope });
    throw lockedError(until);
  }
  const attemptsLeft = rules.lockoutThreshold - row.count;
  throw new AppError(
    "WRONG_PASSWORD",
    `Wrong password. ${attemptsLeft} ${attemptsLeft === 1 ? "attempt" : "attempts"} left before your account is locked for ${rules.lockoutDurationMs / 60_000} minutes.`,
    { extra: { attemptsLeft } },
  );
}

type Reserved = { ok: true; row: Reservation; setLock: boolean; setAccountLock: boolean } | { ok: false; until: Date };

async function reserveAttempt(userId: string, scope: Scope): Promise<Reserved> {
  const { count, lock } = COLUMNS[scope];
  // A lock can run out between the refused UPDATE and the read that says why; then try once more.
  for (let attempt = 0; attempt < 2; attempt++) {
    const freshWindow = Prisma.sql`(failure_window_started_at IS NULL
      OR failure_window_started_at <= now() - make_interval(secs => ${rules.accountFailureWindowMs / 1000}))`;
    const [row] = await db.$queryRaw<Reservation[]>`
      UPDATE users SET
        ${count} = CASE WHEN ${count} + 1 >= ${rules.lockoutThreshold} THEN 0 ELSE ${count} + 1 END,
        ${lock} = CASE WHEN ${count} + 1 >= ${rules.lockoutThreshold}
                       THEN now() + make_interval(secs => ${rules.lockoutDurationMs / 1000})
                       ELSE ${lock} END,
        failures_in_window = CASE WHEN ${freshWindow} THEN 1 ELSE failures_in_window + 1 END,
        failure_window_started_at = CASE WHEN ${freshWindow} THEN now() ELSE failure_window_started_at END,
        account_locked_until = CASE WHEN (CASE WHEN ${freshWindow} THEN 1 ELSE failures_in_window + 1 END) >= ${rules.accountFailureCeiling}
                                    THEN now() + make_interval(secs => ${rules.accountLockDurationMs / 1000})
                                    ELSE account_locked_until END
      WHERE id = ${userId}::uuid
        AND (${lock} IS NULL OR ${lock} <= now())
        AND (account_locked_until IS NULL OR account_locked_until <= now())
      RETURNING password_hash, ${count} AS count, ${lock} AS locked_until, account_locked_until`;
    if (row) {
      // The WHERE let no active lock through, so a lock active now was set by this very reservation.
      const now = new Date();
      return { ok: true, row, setLock: isActive(row.locked_until, now), setAccountLock: isActive(row.account_locked_until, now) };
    }

    const current = await db.user.findUnique({
      where: { id: userId },
      select: { lockedUntil: true, deviceLockedUntil: true, accountLockedUntil: true },
    });
    if (!current) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
    const now = new Date();
    const until = latest(
      ...[scope === "strangers" ? current.lockedUntil : current.deviceLockedUntil, current.accountLockedUntil].filter((date) =>
        isActive(date, now),
      ),
    );
    if (until) return { ok: false, until };
  }
  throw new AppError("SERVICE_UNAVAILABLE", "Sign-in is busy. Try again in a moment.");
}

/** A success is not a failure: restart this scope's count, lift a lock this attempt set, and uncount it from the hour. */
async function giveBack(userId: string, scope: Scope, set: { setLock: boolean; setAccountLock: boolean }): Promise<void> {
  const { count, lock } = COLUMNS[scope];
  await db.$executeRaw`
    UPDATE users SET
      ${count} = 0,
      ${lock} = CASE WHEN ${set.setLock} THEN NULL ELSE ${lock} END,
      account_locked_until = CASE WHEN ${set.setAccountLock} THEN NULL ELSE account_locked_until END,
      failures_in_window = GREATEST(failures_in_window - 1, 0)
    WHERE id = ${userId}::uuid`;
}

/** Re-hashes with today's parameters; only if the hash is still the one just verified (a password change wins). */
async function upgradeHash(userId: string, oldHash: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.user.updateMany({ where: { id: userId, passwordHash: oldHash }, data: { passwordHash } });
}

const isActive = (date: Date | null, now: Date): date is Date => date !== null && date > now;

function latest(...dates: (Date | null)[]): Date | null {
  const present = dates.filter((date): date is Date => date !== null);
  return present.length ? new Date(Math.max(...present.map((date) => date.getTime()))) : null;
}

function lockedError(until: Date): AppError {
  const ms = Math.max(0, until.getTime() - Date.now());
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new AppError(
    "LOCKED",
    `Too many wrong passwords. Your account is locked; try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
    { retryAfter: seconds, extra: { lockedUntil: until.toISOString(), retryAfterMs: ms } },
  );
}
