import "server-only";

/**
 * Whether a request may use this user's cookie. Browsers send Origin on
 * every cross-origin POST/DELETE and Sec-Fetch-Site on every request; a
 * mismatch means another site is trying to act as the user. Native clients
 * send neither and are not exposed to this attack.
 */
export function isSameOrigin(request: Request, appOrigin: string): boolean {
  if (request.headers.get("sec-fetch-site") === "cross-site") return false;
  const origin = request.headers.get("origin");
  if (!origin) return true;
  const allowed = new Set([appOrigin]);
  const host = request.headers.get("host");
  if (host) allowed.add(`${new URL(request.url).protocol}//${host}`);
  return allowed.has(origin);
}
