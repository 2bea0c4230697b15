import "server-only";
import { decode } from "next-auth/jwt";
import { NextResponse } from "next/server";
import { decodeSignInError } from "@/lib/sign-in-error";
import { DEVICE_COOKIE, deviceCookieOptions, issueDeviceCookie } from "@/server/auth/device-cookie";
import { SESSION_COOKIE } from "@/server/auth/session-cookie";
import { env } from "@/server/env";

/**
 * What next-auth's own handler cannot do, applied to its answer to a
 * credentials sign-in (app/api/auth/[...nextauth]/route.ts wraps it):
 *
 * - A successful sign-in (the answer sets a session cookie) also gets the
 *   account's device cookie, so this browser is not locked out by strangers'
 *   failures later (server/auth/device-cookie.ts). The account is read from
 *   the session token next-auth just issued, verified with our own secret:
 *   `authorize` runs deep inside next-auth and cannot touch the response.
 * - A refusal because the account is locked answers 423 with Retry-After
 *   (seconds) instead of next-auth's 200, for API clients; the JSON body
 *   next-auth's client reads (`{url}` carrying the encoded error, with
 *   `retryAfterMs`) is left as it is, so the sign-in form works unchanged.
 */
export async function finishSignIn(request: Request, response: Response): Promise<Response> {
  if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/callback/credentials")) return response;

  const userId = await signedInUser(response);
  if (userId) {
    const answer = new NextResponse(response.body, response);
    answer.cookies.set(DEVICE_COOKIE, issueDeviceCookie(userId), deviceCookieOptions);
    return answer;
  }

  const retryAfterMs = await lockedFor(response);
  if (retryAfterMs === null) return response;
  const answer = new NextResponse(response.body, { status: 423, statusText: "Locked", headers: response.headers });
  answer.headers.set("Retry-After", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  answer.headers.set("Cache-Control", "no-store");
  return answer;
}

async function signedInUser(response: Response): Promise<string | null> {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ""] = cookie.split(";");
    const eq = pair.indexOf("=");
    // A chunked (over-long) session cookie is not read: no device cookie then, which only costs convenience.
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const token = await decode({ token: pair.slice(eq + 1).trim(), secret: env.NEXTAUTH_SECRET }).catch(() => null);
    return typeof token?.sub === "string" && token.sub ? token.sub : null;
  }
  return null;
}

/** Milliseconds left of the lock when the answer is a JSON sign-in refusal with LOCKED; otherwise null. */
async function lockedFor(response: Response): Promise<number | null> {
  if (!response.headers.get("content-type")?.includes("application/json")) return null;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { url?: unknown } | null;
  if (typeof body?.url !== "string") return null;
  const error = decodeSignInError(URL.canParse(body.url, "http://x") ? new URL(body.url, "http://x").searchParams.get("error") : null);
  if (error.code !== "LOCKED") return null;
  if (typeof error.retryAfterMs === "number") return error.retryAfterMs;
  return error.lockedUntil ? Math.max(0, Date.parse(error.lockedUntil) - Date.now()) : 0;
}
