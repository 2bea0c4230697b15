import "server-only";
import { hkdfSync } from "node:crypto";
import { jwtDecrypt, type JWTPayload } from "jose";
import { encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { rules } from "@/lib/rules";
import { DEVICE_COOKIE, deviceCookieOptions, issueDeviceCookie } from "@/server/auth/device-cookie";
import type { SessionUser } from "@/server/auth/sign-in-with-password";
import { env } from "@/server/env";
import { log } from "@/server/logger";

// next-auth's session cookie, written and read here without running
// next-auth: same name, secret, lifetime and token fields as its credentials
// callback gives it (options.ts: `sub`, `name`, `sv`, `sid`).
//
// Writing: the server actions (the sign-in and sign-up forms work without
// JavaScript, so without next-auth's client) mint it as next-auth would.
//
// Reading: the cookie is a JWE (alg "dir", enc "A256GCM") under a key
// next-auth derives from NEXTAUTH_SECRET with HKDF, and getServerSession
// re-derives that key on every call, runs its whole request handler (config
// checks, a CSRF token) and encrypts a fresh cookie it then throws away.
// Under load that was a tenth of the app's CPU on GET /api/account (issue 13,
// `npm run bench:api -- --profile`). Here the key is derived once per
// process, exactly as next-auth 4 does it (next-auth/jwt: hkdf sha256, empty
// salt, its fixed info string, 32 bytes), and the cookie is decrypted and its
// time claims checked with the same library and tolerance next-auth's
// decode() uses. What makes it a session (the row and the session version) is
// checked by the caller, every request.

const secure = env.APP_URL.startsWith("https://");

/** next-auth's cookie name: the `__Secure-` prefix on https (it decides by NEXTAUTH_URL, which env.ts keeps equal to APP_URL). */
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

// --- reading ---------------------------------------------------------------

const KEY = new Uint8Array(hkdfSync("sha256", env.NEXTAUTH_SECRET, "", "NextAuth.js Generated Encryption Key", 32));

/** The claims the app's jwt callback (options.ts) puts in the token. */
export type SessionClaims = JWTPayload & { name?: string; sv?: number; sid?: string };

/**
 * The session cookie's value from a request's cookies. next-auth splits a
 * token over 4 KB into `<name>.0`, `<name>.1`, …; ours are far smaller, but a
 * split one is joined back the way next-auth's SessionStore does.
 */
export function sessionCookieValue(cookies: { name: string; value: string }[]): string | undefined {
  const whole = cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value;
  if (whole) return whole;
  const chunks = cookies
    .map((cookie) => ({
      ...cookie,
      index: /^\d+$/.test(cookie.name.slice(SESSION_COOKIE.length + 1)) ? Number(cookie.name.slice(SESSION_COOKIE.length + 1)) : -1,
    }))
    .filter((cookie) => cookie.name.startsWith(`${SESSION_COOKIE}.`) && cookie.index >= 0 && cookie.value)
    .sort((a, b) => a.index - b.index);
  return chunks.length ? chunks.map((chunk) => chunk.value).join("") : undefined;
}

/**
 * The token's claims, or null when the cookie is not one this deployment
 * issued and still valid (tampered, another secret, expired, not a JWE).
 * Logged as next-auth logged it (JWT_SESSION_ERROR), with the reason only:
 * jose's errors can carry the token's claims.
 */
export async function decodeSessionCookie(value: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtDecrypt(value, KEY, {
      clockTolerance: 15,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    return payload as SessionClaims;
  } catch (error) {
    log.error("next-auth: JWT_SESSION_ERROR", { reason: (error as { code?: string }).code ?? (error as Error).name });
    return null;
  }
}
