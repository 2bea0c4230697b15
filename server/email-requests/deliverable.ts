import "server-only";
import { hasAsciiLocalPart } from "@/lib/email-address";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";

/**
 * Issue 10, item 9: an address with a non-ASCII local part is accepted only
 * when the relay delivers international mail (SMTP_UTF8=true). Otherwise it
 * would be stored and shown, never delivered, and would block resending.
 * lib/ stays free of settings, so the check lives here.
 */
export function assertDeliverable(email: string, code: "INVALID_EMAIL" | "INVALID_INPUT"): void {
  if (env.SMTP_UTF8 || hasAsciiLocalPart(email)) return;
  const message = "Use an address with plain letters (a-z), digits and . _ + - before the @.";
  throw new AppError(code, message, { fields: { email: message } });
}
