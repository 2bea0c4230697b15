import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/server/env";

/**
 * What stands in a deleted account's audit rows instead of its id: an HMAC
 * under a secret, so the rows of one former account still belong together
 * (an investigation can follow them) but cannot be tied back to the person
 * without the key, and a guessed id cannot be checked against them offline.
 */
export function auditPseudonym(userId: string): string {
  return createHmac("sha256", env.AUDIT_PSEUDONYM_SECRET).update(`audit-subject:${userId}`).digest("hex");
}
