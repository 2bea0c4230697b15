import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { env } from "@/server/env";
import { rules } from "@/lib/rules";

// Link tokens: 32 random bytes, base64url, in the link only. The database
// keeps HMAC-SHA256(secret, token): a leaked table cannot be turned back into
// working links, and without the secret it cannot be brute-forced offline.

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(rules.linkTokenBytes).toString("base64url");
  return { token, tokenHash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHmac("sha256", env.TOKEN_HMAC_SECRET).update(token).digest("hex");
}

/** Anything that is not shaped like one of our tokens is invalid without a database lookup. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === "string" && TOKEN_SHAPE.test(token);
}

export function confirmUrl(token: string): string {
  return new URL(`/email/confirm?token=${token}`, env.APP_URL).toString();
}
