import "server-only";
import { isIP } from "node:net";

// Who is asking, as far as this server can tell: the one answer used by the
// audit log (requestMeta) and by the per-client budgets.
//
// Next.js route handlers never see the socket. What they see is the
// X-Forwarded-For header, which `next start` fills with the socket peer's
// address ONLY WHEN THE REQUEST HAS NONE (`headers['x-forwarded-for'] ??=
// socket.remoteAddress` in next/dist/server/base-server.js). So the header
// is partly written by whoever sent the request, and only the entries added
// by our own proxies can be believed. Each trusted proxy appends the address
// it received the request from; with N trusted proxies in front of Next, the
// Nth entry from the right is the address the first of them saw: the client.
// Anything to its left was written by the client and is ignored. Never the
// first entry: that one is whatever the client wants it to be.
//
// TRUSTED_PROXY_HOPS=0 (no proxy) takes the last entry, which is the socket
// peer that Next wrote. A client that talks to Next directly can still
// pre-set the header and choose that value (Next keeps it), so a deployment
// that is reachable without a proxy is not protected by per-client budgets;
// production runs behind a proxy that appends (nginx
// `proxy_add_x_forwarded_for`, most load balancers) and sets the hop count.

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function forwardedFor(headers: HeaderSource): string[] {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers["x-forwarded-for"];
  // Repeated headers are one list, in order (RFC 9110 §5.3).
  const joined = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  return joined.split(",").map((entry) => entry.trim());
}

/**
 * The client's address: the `trustedHops`-th entry from the right of
 * X-Forwarded-For (the last one when 0), validated as an IP address, or
 * null when there is no such entry or it is not an address.
 */
export function clientIp(headers: HeaderSource, trustedHops: number): string | null {
  const entries = forwardedFor(headers);
  const index = entries.length - Math.max(1, trustedHops);
  if (index < 0) return null;
  return normalizeIp(entries[index] ?? "");
}

/** A bare IP address in one spelling (IPv4-mapped IPv6 as IPv4), or null. */
export function normalizeIp(value: string): string | null {
  const address = value.trim();
  if (address.length > 64) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  const family = isIP(address);
  if (family === 4) return address;
  if (family === 6) return address.toLowerCase();
  return null;
}

/**
 * The key a per-client budget counts under. An IPv6 client usually holds a
 * whole /64 (its provider routes one to every line), so counting single
 * addresses would give it 2^64 budgets: IPv6 addresses count per /64.
 * Requests whose address is unknown share one budget.
 */
export function budgetKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (isIP(ip) !== 6) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  let text = address.split("%")[0]!;
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) as two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16).toString(16));
}
