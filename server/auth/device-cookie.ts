import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { rules } from "@/lib/rules";
import { env } from "@/server/env";

// A device cookie marks a browser that has signed in to an account before
// (OWASP's "device cookies" against lockout abuse). Password failures from
// such a browser are counted apart from everyone else's, so a stranger who
// knows the public phone number cannot lock the owner out by guessing
// (server/auth/check-password.ts). It grants nothing by itself: it only
// selects which failure count a password check uses.
//
// The value is `v1.<userId>.<issued, unix seconds>.<HMAC>`; one account per
// browser (the last one signed in). Its key is derived from NEXTAUTH_SECRET
// with HKDF under a label of its own, so no new secret has to be configured
// and a device signature can never be mistaken for a session or link MAC.
// Rotating NEXTAUTH_SECRET ends sessions and device recognition together.

const key = Buffer.from(hkdfSync("sha256", env.NEXTAUTH_SECRET, "", "wallet/device-cookie/v1", 32));
const secure = env.APP_URL.startsWith("https://");

/** `__Host-` pins it to this origin, HTTPS and path / (not in plain-HTTP development, where browsers refuse it). */
export const DEVICE_COOKIE = secure ? "__Host-wallet-device" : "wallet-device";

const sign = (payload: string) => createHmac("sha256", key).update(payload).digest("base64url");

export function issueDeviceCookie(userId: string, now = Date.now()): string {
  const payload = `v1.${userId}.${Math.floor(now / 1000)}`;
  return `${payload}.${sign(payload)}`;
}

/** Whether a cookie value was issued by us to this account and has not expired. */
export function isDeviceOf(value: string | null | undefined, userId: string, now = Date.now()): boolean {
  if (!value) return false;
  const parts = value.split(".");
  if (parts.length !== 4 || parts[0] !== "v1" || parts[1] !== userId) return false;
  const issuedMs = Number(parts[2]) * 1000;
  if (!Number.isSafeInteger(issuedMs) || issuedMs > now + 60_000 || issuedMs + rules.deviceCookieLifetimeMs < now) return false;
  const given = Buffer.from(parts[3]!, "base64url");
  const expected = Buffer.from(sign(parts.slice(0, 3).join(".")), "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The raw device cookie from a Cookie header, unverified (checked against the account later). */
export function deviceCookieFrom(cookieHeader: string | null | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === DEVICE_COOKIE)
      return (
        part
          .slice(eq + 1)
          .trim()
          .slice(0, 256) || null
      );
  }
  return null;
}

/** Attributes for Set-Cookie: never readable by scripts, sent on top-level navigations to the app only. */
export const deviceCookieOptions = {
  httpOnly: true,
  sameSite: "lax" as const,
  secure,
  path: "/",
  maxAge: Math.floor(rules.deviceCookieLifetimeMs / 1000),
};
