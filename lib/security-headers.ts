// The headers every page answer carries (proxy.ts sets them; API answers get
// Cache-Control from the route wrapper, server/http/route.ts). Kept apart from
// the proxy so that the policy itself is a plain function under unit test.

export type PageHeaderOptions = {
  /** Fresh per request: only scripts carrying it run (Next adds it to its own). */
  nonce: string;
  /** A production deploy (not next dev, not the local/e2e stacks on http://localhost). */
  production: boolean;
  /** `next dev`: React needs eval for its debugging aids there. */
  development: boolean;
  pathname: string;
};

/**
 * Pages whose answer must never be stored by a browser or a shared cache:
 * link tokens and account data. Every /email/ page is one (the landing page
 * carries a token, the expired-link page a ticket, the resend page a pending
 * request), and so is /signin, whose callbackUrl brings a person back to a
 * link they are approving (ADR 0018). The referrer never carries a path or
 * query from any page (Referrer-Policy: strict-origin, next.config.ts): not
 * no-referrer, under which a browser posts forms with `Origin: null` and
 * every server action sent without JavaScript would be refused.
 */
export function isPrivatePage(pathname: string): boolean {
  return (
    pathname === "/email" ||
    pathname.startsWith("/email/") ||
    pathname === "/signin" ||
    pathname === "/profile" ||
    pathname.startsWith("/profile/") ||
    pathname === "/wallet" ||
    pathname === "/payments" ||
    pathname.startsWith("/payments/")
  );
}

/** A random nonce, base64 (16 bytes from the Web Crypto API, available in Node and the browser alike). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, production, development }: Omit<PageHeaderOptions, "pathname">): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': a script the nonce let in may load Next's chunks; no
    // other script runs, inline or from any host.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Styles: React style attributes and next/font need inline styles; the
    // injection risk CSP guards against here is scripts.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // Nobody frames the app (clickjacking on the profile and confirm pages).
    "frame-ancestors 'none'",
    // Locally the app is served over http://localhost: upgrading would break it.
    ...(production ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Every security header of a page answer, by name. */
export function pageHeaders(options: PageHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(options),
    // The app uses none of these: a script that got in cannot either.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    // A window this app opens, or that opens it, gets no handle on it.
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Only over https in production: a browser would pin it for the host, and
  // localhost serves other projects over http.
  if (options.production) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  if (isPrivatePage(options.pathname)) headers["Cache-Control"] = "no-store";
  return headers;
}
