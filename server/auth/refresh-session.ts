import "server-only";
import { encode, getToken } from "next-auth/jwt";
import type { NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE as COOKIE, SESSION_MAX_AGE_SECONDS, sessionCookieOptions } from "@/server/auth/session-cookie";
import { env } from "@/server/env";

/**
 * After an email change bumps the session version, every session of the user
 * ends, except the one making this request, if it belongs to that user and
 * was current until the bump: it gets a cookie carrying the new version.
 */
export async function keepCurrentSession(
  request: NextRequest,
  response: NextResponse,
  change: { userId: string; sessionVersion: number },
): Promise<void> {
  const token = await getToken({
    req: request,
    secret: env.NEXTAUTH_SECRET,
    secureCookie: sessionCookieOptions.secure,
    cookieName: COOKIE,
  });
  if (!token || token.sub !== change.userId || token.sv !== change.sessionVersion - 1) return;
  const value = await encode({
    token: { ...token, sv: change.sessionVersion },
    secret: env.NEXTAUTH_SECRET,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  response.cookies.set(COOKIE, value, { ...sessionCookieOptions, maxAge: SESSION_MAX_AGE_SECONDS });
}

/** Deletes this browser's session cookie (its session row has already been ended). */
export function clearSessionCookie(response: NextResponse): void {
  response.cookies.set(COOKIE, "", { ...sessionCookieOptions, maxAge: 0 });
}
