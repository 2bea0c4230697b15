import "server-only";
import { encode, getToken } from "next-auth/jwt";
import type { NextRequest, NextResponse } from "next/server";
import { SESSION_MAX_AGE_SECONDS } from "@/server/auth/options";
import { SESSION_COOKIE as COOKIE } from "@/server/auth/session-cookie";
import { env } from "@/server/env";

const secure = env.APP_URL.startsWith("https://");

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
  const token = await getToken({ req: request, secret: env.NEXTAUTH_SECRET, secureCookie: secure, cookieName: COOKIE });
  if (!token || token.sub !== change.userId || token.sv !== change.sessionVersion - 1) return;
  const value = await encode({
    token: { ...token, sv: change.sessionVersion },
    secret: env.NEXTAUTH_SECRET,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  response.cookies.set(COOKIE, value, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: SESSION_MAX_AGE_SECONDS });
}

/** Deletes this browser's session cookie (its session row has already been ended). */
export function clearSessionCookie(response: NextResponse): void {
  response.cookies.set(COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: 0 });
}
