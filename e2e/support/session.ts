import { expect, type APIRequestContext, type BrowserContext, type Cookie } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { database } from "./database";
import { BASE_URL, NEXTAUTH_SECRET } from "./env";

// Signing a test user in without the sign-in form (one test keeps the form).
// With the deployment's NEXTAUTH_SECRET and its database the suite mints the
// session cookie next-auth would set; otherwise it signs in through
// next-auth's own API, as the form does.

/** A longer-lived cookie than any test needs (the server-side row decides anyway). */
const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

const secure = BASE_URL.startsWith("https://");
const COOKIE_NAME = secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";

export type Credentials = { id: string; phone: string; password: string; fullName: string };

/**
 * The session cookie for `user`, or null when it cannot be minted here. The
 * token carries what the app's jwt callback puts there: `sub` (the user id),
 * `name`, `sv`, the session version that sessions are checked against (read
 * now, so the session is current), and `sid`, the server-side session row
 * (written here as a sign-in would: every request checks it is still live).
 */
export async function mintSessionCookie(user: Credentials): Promise<Cookie | null> {
  const db = database();
  if (!NEXTAUTH_SECRET || !db) return null;
  const [row] = await db.sql<{ session_version: number }>("SELECT session_version FROM users WHERE id = $1", [user.id]);
  if (!row) throw new Error(`no user ${user.id} in the database the suite was given`);
  const [session] = await db.sql<{ id: string }>(
    "INSERT INTO sessions (id, user_id, user_agent) VALUES (gen_random_uuid(), $1, 'playwright (minted)') RETURNING id",
    [user.id],
  );
  const value = await encode({
    token: { sub: user.id, name: user.fullName, sv: row.session_version, sid: session!.id },
    secret: NEXTAUTH_SECRET,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  return {
    name: COOKIE_NAME,
    value,
    domain: new URL(BASE_URL).hostname,
    path: "/",
    expires: Math.floor(Date.now() / 1000) + SESSION_MAX_AGE_SECONDS,
    httpOnly: true,
    secure,
    sameSite: "Lax",
  };
}

/** Signs in through next-auth's credentials endpoint; the session cookie lands in `request`'s cookie jar. */
export async function signInThroughApi(request: APIRequestContext, user: Credentials): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, phone: user.phone, password: user.password, json: "true" },
  });
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { id?: string } };
  expect(session.user?.id, `signing ${user.phone} in through /api/auth/callback/credentials`).toBe(user.id);
}

/** Gives a browser context (all its pages and its `request`) a session of `user`. */
export async function signInContext(context: BrowserContext, user: Credentials): Promise<void> {
  const cookie = await mintSessionCookie(user);
  if (cookie) await context.addCookies([cookie]);
  else await signInThroughApi(context.request, user);
}
