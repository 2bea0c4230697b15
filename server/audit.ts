import "server-only";
import type { Prisma } from "@/server/generated/prisma/client";
import { deviceCookieFrom } from "@/server/auth/device-cookie";
import { db, type Tx } from "@/server/db";
import { env } from "@/server/env";
import { clientIp } from "@/server/http/client-ip";

// Append-only security log. Details hold ids and masked addresses only:
// never a token, a password or another account's full address.

export type AuditAction =
  | "account.created"
  | "auth.signed_in"
  | "auth.sign_in_failed"
  | "auth.reauth_failed"
  | "auth.locked"
  | "auth.signed_out"
  | "auth.signed_out_everywhere"
  | "account.password_changed"
  | "account.password_change_failed"
  | "account.exported"
  | "account.deleted"
  | "account.delete_failed"
  | "email.requested"
  /** An add/change refused with EMAIL_TAKEN: counted for the per-account budget of such answers. */
  | "email.taken"
  | "email.resent"
  | "email.hop_confirmed"
  | "email.verified"
  | "email.changed"
  | "email.change_failed"
  | "email.expired"
  | "email.cancelled"
  | "email.superseded"
  | "wallet.transfer_sent"
  | "payment.scheduled"
  | "payment.schedule_changed"
  | "payment.schedule_cancelled";

/**
 * Who and where a request came from; filled from the HTTP request by the route.
 * `deviceCookie` is the raw, unverified device cookie (server/auth/device-cookie.ts);
 * it selects a failure count in password checks and is never stored.
 */
export type RequestMeta = { ip: string | null; userAgent: string | null; deviceCookie?: string | null };

export const NO_META: RequestMeta = { ip: null, userAgent: null };

/**
 * The client's address (server/http/client-ip.ts: from the trusted proxy
 * hops, never a header the client alone wrote), its user agent, bounded, and
 * the device cookie that tells the owner's browsers from strangers' (lockout).
 */
export function requestMeta(
  headers: Headers | Record<string, string | string[] | undefined>,
  trustedHops: number = env.TRUSTED_PROXY_HOPS,
): RequestMeta {
  const get = (name: string): string | null => {
    if (headers instanceof Headers) return headers.get(name);
    const value = headers[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  const deviceCookie = deviceCookieFrom(get("cookie"));
  return { ip: clientIp(headers, trustedHops), userAgent: get("user-agent")?.slice(0, 512) ?? null, ...(deviceCookie && { deviceCookie }) };
}

export async function recordAudit(
  entry: { userId: string | null; action: AuditAction; details?: Prisma.InputJsonObject; meta?: RequestMeta },
  tx: Tx = db,
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      userId: entry.userId,
      action: entry.action,
      details: entry.details ?? {},
      ip: entry.meta?.ip ?? null,
      userAgent: entry.meta?.userAgent ?? null,
    },
  });
}
