import "server-only";
import { cookies } from "next/headers";
import { liveSessionUser, type SessionUser } from "@/server/auth/check-session";
import { decodeSessionCookie, sessionCookieValue } from "@/server/auth/session-cookie";
import { AppError } from "@/server/errors";

// A JWT stays valid until it expires, so a session is what the server says:
// every request decrypts the session cookie (session-cookie.ts) and then
// checks, in one statement, the session's row (ended, idle, too old) and the
// user's session version (an email change bumps it), reading the user with
// it. This function is the one check pages, server actions and the route
// wrapper use. It accepts exactly what getServerSession with the jwt callback
// (options.ts) accepts, without running next-auth's handler on every request
// (server/auth/current-user.int.test.ts holds the two side by side); next-auth
// still serves its own routes (/api/auth/*).

export type CurrentUser = Omit<SessionUser, "sessionId"> & {
  /** The session row of this request (absent for users made outside a request, e.g. in tests). */
  sessionId?: string;
};

export async function getCurrentUser(): Promise<CurrentUser | null> {
  return currentUserOfCookie(sessionCookieValue((await cookies()).getAll()));
}

/** The user of a session cookie's value (null when it is no live session); exported for tests. */
export async function currentUserOfCookie(value: string | undefined): Promise<CurrentUser | null> {
  if (!value) return null;
  const token = await decodeSessionCookie(value);
  // The jwt callback's rule: a token without its session row's id or its user is no session.
  if (!token || typeof token.sid !== "string" || typeof token.sub !== "string") return null;
  if (token.sv !== undefined && typeof token.sv !== "number") return null;
  return liveSessionUser({ sessionId: token.sid, userId: token.sub, sessionVersion: token.sv ?? 0 });
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return user;
}
