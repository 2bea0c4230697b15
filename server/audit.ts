import "server-only";
import type { Prisma } from "@/server/generated/prisma/client";
import { deviceCookieFrom } from "@/server/auth/device-cookie";
import { db, type Tx } from "@/server/db";

// Append-only security log. Details hold ids and masked addresses only:
// never a token, a password or another account's full address.

export type AuditAction =
  | "account.created"
  | "auth.signed_in"
  | "auth.sign_in_failed"
  | "auth.reauth_failed"
  | "auth.locked"
  | "email.requested"
  | "email.resent"
  | "email.hop_confirmed"
  | "email.verified"
  | "email.changed"
  | "email.change_failed"
  | "email.expired"
  | "email.cancelled"
  | "email.superseded";

/**
 * Who and where a request came from; filled from the HTTP request by the route.
 * `deviceCookie` is the raw, unverified device cookie (server/auth/device-cookie.ts);
 * it selects a failure count in password checks and is never stored.
 */
export type RequestMeta = { ip: string | null; userAgent: string | null; deviceCookie?: string | null };

export const NO_META: RequestMeta = { ip: null, userAgent: null };

export function requestMeta(headers: Headers | Record<string, string | string[] | undefined>): RequestMeta {
  const get = (name: string): string | null => {
    if (headers instanceof Headers) return headers.get(name);
    const value = headers[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  const forwarded = get("x-forwarded-for")?.split(",")[0]?.trim();
  const deviceCookie = deviceCookieFrom(get("cookie"));
  return { ip: forwarded || get("x-real-ip") || null, userAgent: get("user-agent")?.slice(0, 512) ?? null, ...(deviceCookie && { deviceCookie }) };
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
