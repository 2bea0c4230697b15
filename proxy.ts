import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageHeaders } from "@/lib/security-headers";

// Security headers for pages, with a fresh CSP nonce each request. Next reads
// the nonce from the Content-Security-Policy *request* header and puts it on
// the scripts it renders, so the policy goes on the request as well as on the
// answer (pages render dynamically for that: app/layout.tsx).
//
// process.env is read here rather than through server/env.ts: the proxy runs
// on every page request and must stay cheap, and it needs only these two.
export function proxy(request: NextRequest) {
  const local = process.env.APP_ENV === "local" || process.env.APP_ENV === "e2e";
  const headers = pageHeaders({
    nonce: newNonce(),
    production: process.env.NODE_ENV === "production" && !local,
    development: process.env.NODE_ENV === "development",
    pathname: request.nextUrl.pathname,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API answers are JSON (the route wrapper sets their headers)
      // and static files carry no script to police.
      source: "/((?!api/|_next/static/|_next/image|favicon.ico).*)",
      // Link prefetches fetch data, not documents.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
