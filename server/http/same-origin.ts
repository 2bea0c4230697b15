import "server-only";

/**
 * Whether a request may use this user's cookie. Browsers send Origin on
 * every cross-origin POST/DELETE and Sec-Fetch-Site on every request; a
 * mismatch means another site is trying to act as the user. Native clients
 * send neither and are not exposed to this attack.
 */
export function isSameOrigin(request: Request, appOrigin: string): boolean {
  return isSameOriginHeaders(request.headers, appOrigin, new URL(request.url).protocol);
}

/** The same rule from the headers alone (server actions see headers, not the Request). */
export function isSameOriginHeaders(headers: Headers, appOrigin: string, protocol: string = new URL(appOrigin).protocol): boolean {
  if (headers.get("sec-fetch-site") === "cross-site") return false;
  const origin = headers.get("origin");
  if (!origin) return true;
  const allowed = new Set([appOrigin]);
  const host = headers.get("host");
  if (host) allowed.add(`${protocol}//${host}`);
  return allowed.has(origin);
}
