import "server-only";
import { encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { rules } from "@/lib/rules";
import { DEVICE_COOKIE, deviceCookieOptions, issueDeviceCookie } from "@/server/auth/device-cookie";
import type { SessionUser } from "@/server/auth/sign-in-with-password";
import { env } from "@/server/env";

// The session cookie next-auth sets, minted here for the server actions
// (sign-in and sign-up forms work without JavaScript, so without next-auth's
// client). Same name, secret, lifetime and token fields as next-auth's
// credentials callback gives it (options.ts: `sub`, `name`, `sv`, `sid`), so
// getServerSession, and therefore getCurrentUser, reads it like its own.

const secure = env.APP_URL.startsWith("https://");

export const SESSION_COOKIE = secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";

/** The cookie lives as long as the absolute lifetime; the session row decides sooner (idle, ended). */
export const SESSION_MAX_AGE_SECONDS = rules.sessionLifetimeMs / 1000;

export const sessionCookieOptions = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };

/** The session token of a new session (exported for tests). */
export function mintSessionToken(user: SessionUser): Promise<string> {
  return encode({
    token: { sub: user.id, name: user.name, sv: user.sessionVersion, sid: user.sessionId },
    secret: env.NEXTAUTH_SECRET,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

/** In a server action: this browser is now signed in as `user`, and recognised as one of its devices (device-cookie.ts). */
export async function setSessionCookies(user: SessionUser): Promise<void> {
  const jar = await cookies();
  jar.set(SESSION_COOKIE, await mintSessionToken(user), { ...sessionCookieOptions, maxAge: SESSION_MAX_AGE_SECONDS });
  jar.set(DEVICE_COOKIE, issueDeviceCookie(user.id), deviceCookieOptions);
}

/** In a server action: deletes this browser's session cookie (its session row has already been ended). */
export async function deleteSessionCookie(): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, "", { ...sessionCookieOptions, maxAge: 0 });
}
