import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { config, proxy } from "@/proxy";

// The proxy itself: what a page answer carries, and what Next is told on the
// request so that it puts the nonce on its scripts.

const call = (path: string) => proxy(new NextRequest(new URL(path, "https://wallet.example")));
const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

afterEach(() => vi.unstubAllEnvs());

describe("proxy", () => {
  it("sets a CSP with a fresh nonce for scripts, on the answer and on the request Next renders with", () => {
    const first = call("/");
    const second = call("/");
    const csp = first.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(nonceOf(csp)).not.toBe(nonceOf(second.headers.get("content-security-policy")!));
    // NextResponse.next({ request: { headers } }) passes the overridden request
    // headers on in x-middleware-request-* headers.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("sets Permissions-Policy and COOP on every page", () => {
    const answer = call("/signin");
    expect(answer.headers.get("permissions-policy")).toContain("camera=()");
    expect(answer.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  });

  it.each([
    "/email/confirm",
    "/email/expired",
    "/email/resend",
    "/email/confirmed",
    "/signin",
    "/profile",
    "/profile/password",
    "/profile/delete",
  ])("%s is never stored (no-store)", (path) => {
    expect(call(path).headers.get("cache-control")).toBe("no-store");
  });

  it("leaves Cache-Control to Next on public pages", () => {
    expect(call("/signup").headers.get("cache-control")).toBeNull();
  });

  it("sends HSTS and upgrades requests in production only, not in the local or e2e stacks", () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("APP_ENV", undefined);
    const production = call("/");
    expect(production.headers.get("strict-transport-security")).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(production.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    expect(production.headers.get("content-security-policy")).not.toContain("unsafe-eval");

    vi.stubEnv("APP_ENV", "e2e");
    const e2e = call("/");
    expect(e2e.headers.get("strict-transport-security")).toBeNull();
    expect(e2e.headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
  });

  it("allows eval only under next dev (React's debugging aids)", () => {
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("APP_ENV", "local");
    expect(call("/").headers.get("content-security-policy")).toContain("'unsafe-eval'");
    expect(call("/").headers.get("strict-transport-security")).toBeNull();
  });

  it("matches pages only: not the API, not static files", () => {
    const pattern = new RegExp(`^${config.matcher[0]!.source}$`);
    for (const page of ["/", "/signin", "/profile", "/email/confirm"]) expect(pattern.test(page)).toBe(true);
    for (const other of ["/api/health", "/api/inngest", "/_next/static/chunks/app.js", "/_next/image", "/favicon.ico"])
      expect(pattern.test(other)).toBe(false);
  });
});
