import "server-only";
import { encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import type { NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE as COOKIE, SESSION_MAX_AGE_SECONDS, decodeSessionCookie, sessionCookieOptions } from "@/server/auth/session-cookie";
import { env } from "@/server/env";

/**
 * After an email change bumps the session version, every session of the user
 * ends, except the one making this request, if it belongs to that user and
 * was current until the bump: it gets a cookie carrying the new version.
 * Returns that cookie's value, or null when this session is not the one to keep.
 */
async function renewed(current: string | undefined, change: { userId: string; sessionVersion: number }): Promise<string | null> {
  if (!current) return null;
  const token = await decodeSessionCookie(current);
  if (!token || token.sub !== change.userId || token.sv !== change.sessionVersion - 1) return null;
  return encode({ token: { ...token, sv: change.sessionVersion }, secret: env.NEXTAUTH_SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
}

/** keepCurrentSession for a route handler: the request's cookie in, the answer's cookie out. */
export async function keepCurrentSession(
  request: NextRequest,
  response: NextResponse,
  change: { userId: string; sessionVersion: number },
): Promise<void> {
  const value = await renewed(request.cookies.get(COOKIE)?.value, change);
  if (value) response.cookies.set(COOKIE, value, { ...sessionCookieOptions, maxAge: SESSION_MAX_AGE_SECONDS });
}

/** The same for a server action (a form post): the cookie jar is next/headers'. */
export async function keepCurrentSessionInAction(change: { userId: string; sessionVersion: number }): Promise<void> {
  const jar = await cookies();
  const value = await renewed(jar.get(COOKIE)?.value, change);
  if (value) jar.set(COOKIE, value, { ...sessionCookieOptions, maxAge: SESSION_MAX_AGE_SECONDS });
}

/** Deletes this browser's session cookie (its session row has already been ended). */
export function clearSessionCookie(response: NextResponse): void {
  response.cookies.set(COOKIE, "", { ...sessionCookieOptions, maxAge: 0 });
}
