import "server-only";
import { rules } from "@/lib/rules";
import { db } from "@/server/db";

/** The user columns a request's session carries (server/auth/current-user.ts). */
export type SessionUser = {
  id: string;
  phone: string;
  fullName: string;
  email: string | null;
  emailVerifiedAt: Date | null;
  sessionVersion: number;
  passwordHash: string;
  lockedUntil: Date | null;
  sessionId: string;
};

/**
 * Whether the session a JWT names is still alive, with its user, in one
 * statement: its row exists, has not been ended (sign-out, sign out
 * everywhere, a password change), is younger than the absolute lifetime and
 * was seen within the idle timeout, and the user's session version is the
 * one the JWT was issued with (an email change bumps it). A JWT alone proves
 * none of this, so it runs on every request: a primary-key lookup joined to
 * the user's primary key; the last-seen time is written only when it is
 * older than a minute.
 */
export async function liveSessionUser(options: { sessionId: string; userId: string; sessionVersion: number }): Promise<SessionUser | null> {
  if (!UUID.test(options.sessionId) || !UUID.test(options.userId)) return null;
  const rows = await db.$queryRaw<SessionUser[]>`
    WITH live AS (
      SELECT s.id AS session_id, u.id, u.phone, u.full_name, u.email, u.email_verified_at, u.session_version, u.password_hash, u.locked_until
      FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ${options.sessionId}::uuid
        AND s.user_id = ${options.userId}::uuid
        AND s.ended_at IS NULL
        AND s.created_at > now() - make_interval(secs => ${rules.sessionLifetimeMs / 1000})
        AND s.last_seen_at > now() - make_interval(secs => ${rules.sessionIdleTimeoutMs / 1000})
        AND u.session_version = ${options.sessionVersion}
    ), touched AS (
      UPDATE sessions SET last_seen_at = now()
      WHERE id IN (SELECT session_id FROM live)
        AND last_seen_at < now() - make_interval(secs => ${rules.sessionTouchIntervalMs / 1000})
      RETURNING id
    )
    SELECT session_id::text AS "sessionId", id::text AS "id", phone, full_name AS "fullName", email,
           email_verified_at AS "emailVerifiedAt", session_version AS "sessionVersion",
           password_hash AS "passwordHash", locked_until AS "lockedUntil"
    FROM live`;
  return rows.length === 1 ? rows[0]! : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the session a JWT names is still alive (liveSessionUser's rule):
 * for next-auth's own routes (its jwt callback, options.ts).
 */
export async function checkSession(options: { sessionId: string; userId: string; sessionVersion: number }): Promise<boolean> {
  return (await liveSessionUser(options)) !== null;
}
