// Where to send someone after sign-in (or sign-up): only a path on this app.
// An open redirect here would turn the sign-in page into a phishing aid
// ("sign in at the real wallet, land on the attacker's copy"), and browsers
// and servers disagree about what a URL means in exactly the corners
// attackers use: a backslash is a slash to a browser (`/\evil.example` is
// `//evil.example`, another host), tabs and newlines are dropped from URLs
// (`/%09/evil.example` once decoded is `//evil.example`), and a value may be
// decoded once more by whoever reads it next. So a value is accepted only if
// it and its percent-decoded form are both plainly a single-slash path with
// no backslash, control or whitespace character, and what the URL parser
// makes of it is still a single-slash path on our origin. Anything else
// lands on the fallback. Used by the sign-in and sign-up pages and forms and
// next-auth's redirect callback (server/auth/options.ts).

export const DEFAULT_AFTER_SIGN_IN = "/profile";

// A stand-in origin for resolving paths; only "is it still this origin" matters.
const BASE = "https://app.invalid";
const MAX_LENGTH = 2048;

/**
 * A safe same-origin path for `value` (a path, or an absolute URL on `origin`
 * when one is given), or `fallback`.
 */
export function safeCallbackPath(value: unknown, options: { origin?: string; fallback?: string } = {}): string {
  const fallback = options.fallback ?? DEFAULT_AFTER_SIGN_IN;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;

  let candidate = value;
  // next-auth and some middleware hand over an absolute URL on the app's own origin.
  if (options.origin && !candidate.startsWith("/")) {
    const absolute = parse(candidate, undefined);
    if (!absolute || absolute.origin !== new URL(options.origin).origin) return fallback;
    candidate = absolute.pathname + absolute.search + absolute.hash;
  }

  const decoded = fullyDecoded(candidate);
  if (decoded === null || !isPlainPath(candidate) || !isPlainPath(decoded)) return fallback;

  const url = parse(candidate, BASE);
  if (!url || url.origin !== BASE) return fallback;
  // The parser resolves dot segments: `/.//evil.example` becomes `//evil.example`.
  const path = url.pathname + url.search + url.hash;
  return isPlainPath(path) ? path : fallback;
}

/** One leading slash, then no second slash at once, no backslash, no control or whitespace character. */
function isPlainPath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//") && !/[\\\p{Cc}\p{Z}\s]/u.test(value);
}

/** The value percent-decoded until it stops changing (a few rounds at most); null if it does not decode. */
function fullyDecoded(value: string): string | null {
  let current = value;
  for (let round = 0; round < 4; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

function parse(value: string, base: string | undefined): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}
