import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { rules } from "@/lib/rules";
import { env } from "@/server/env";

// The expired-link page's address carries this instead of the token: the
// link's id, an expiry, and an HMAC under a key of its own. It can do one
// thing, ask for a new link to the address the expired link went to (what
// the expired token itself could still do), and only for an hour. It can
// never confirm anything, so a copy left in history, a proxy log or a
// Referer is worth far less than a token.

const KEY = createHmac("sha256", env.TOKEN_HMAC_SECRET).update("wallet/expired-link-ticket/v1").digest();
// Link ids are UUIDs; anything else is refused before a lookup.
const SHAPE = /^v1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

const sign = (linkId: string, expires: number) => createHmac("sha256", KEY).update(`v1.${linkId}.${expires}`).digest("base64url");

export function issueExpiredLinkTicket(linkId: string, now = Date.now()): string {
  const expires = now + rules.expiredLinkTicketLifetimeMs;
  return `v1.${linkId}.${expires}.${sign(linkId, expires)}`;
}

/** The link id a ticket stands for, or null when it is malformed, forged or past its hour. */
export function readExpiredLinkTicket(ticket: unknown, now = Date.now()): string | null {
  if (typeof ticket !== "string") return null;
  const match = SHAPE.exec(ticket);
  if (!match) return null;
  const [, linkId, expiresText, mac] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(sign(linkId, Number(expiresText)));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Number(expiresText) > now ? linkId : null;
}
