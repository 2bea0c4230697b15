// Calling the real route handlers in-process: a NextRequest as Next's server
// would build it, from a client address of the test's choosing (with
// TRUSTED_PROXY_HOPS=0 the last X-Forwarded-For entry, as `next start` writes it).
import { randomInt } from "node:crypto";
import { NextRequest } from "next/server";

export const APP = "http://localhost:3000";

/** A documentation-range IPv6 address in a /64 (one budget client) nobody else in the run uses. */
export const uniqueIp = () => `2001:db8:${randomInt(0, 0x10000).toString(16)}:${randomInt(0, 0x10000).toString(16)}::1`;

export function apiRequest(
  path: string,
  options: { method?: string; body?: BodyInit | null; json?: unknown; headers?: Record<string, string>; ip?: string } = {},
): NextRequest {
  const headers: Record<string, string> = { origin: APP, "x-forwarded-for": options.ip ?? uniqueIp(), ...options.headers };
  let body = options.body ?? null;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] ??= "application/json";
  }
  return new NextRequest(new URL(path, APP), { method: options.method ?? "POST", headers, body });
}
