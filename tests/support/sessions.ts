// Sessions as next-auth issues and reads them, without a browser: a JWT made
// by the real jwt callback for a real session row, read back through
// next-auth's own session handler (what /api/auth/session runs) and through
// the app's current-user check (its own decode, server/auth/session-cookie.ts).
import { getServerSession, type Session } from "next-auth";
import { encode } from "next-auth/jwt";
import type { RequestMeta } from "@/server/audit";
import { currentUserOfCookie } from "@/server/auth/current-user";
import { authOptions } from "@/server/auth/options";
import { startSession } from "@/server/auth/start-session";
import { db } from "@/server/db";
import { env } from "@/server/env";

const COOKIE = "next-auth.session-token";

export type SignedInSession = { sessionId: string; cookie: string };

/** What a successful sign-in leaves: a session row and the session cookie's value. */
export async function signInSession(
  user: { id: string; fullName: string; sessionVersion: number },
  meta: RequestMeta = { ip: "203.0.113.9", userAgent: "vitest browser" },
): Promise<SignedInSession> {
  const sessionId = await startSession({ userId: user.id, meta });
  const jwt = authOptions.callbacks!.jwt!;
  const token = await jwt({
    token: { sub: user.id, name: user.fullName },
    user: { id: user.id, name: user.fullName, sessionVersion: user.sessionVersion, sessionId },
    account: null,
  } as Parameters<typeof jwt>[0]);
  return { sessionId, cookie: await encode({ token, secret: env.NEXTAUTH_SECRET }) };
}

/** What next-auth's session endpoint answers for this cookie (null: "no session", next-auth's `{}`). */
export async function sessionFor(cookie: string): Promise<Session | null> {
  const req = { headers: { cookie: `${COOKIE}=${cookie}` }, cookies: { [COOKIE]: cookie } };
  const res = { getHeader: () => undefined, setHeader: () => undefined };
  return getServerSession(req as never, res as never, authOptions);
}

/** What pages and the route wrapper see for this cookie (getCurrentUser). */
export async function currentUserFor(cookie: string) {
  return currentUserOfCookie(cookie);
}

export const sessionRow = (id: string) => db.session.findUniqueOrThrow({ where: { id } });

/** Moves a session's timestamps back, as if time had passed (never sleep). */
export async function ageSession(id: string, by: { createdMs?: number; lastSeenMs?: number }) {
  const row = await sessionRow(id);
  await db.session.update({
    where: { id },
    data: {
      createdAt: new Date(row.createdAt.getTime() - (by.createdMs ?? 0)),
      lastSeenAt: new Date(row.lastSeenAt.getTime() - (by.lastSeenMs ?? 0)),
    },
  });
}
