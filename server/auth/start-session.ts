import "server-only";
import type { RequestMeta } from "@/server/audit";
import { db } from "@/server/db";

/**
 * Records a new signed-in browser and returns the id its JWT will carry.
 * Every later request is checked against this row (check-session.ts), so the
 * server can end the session whatever the cookie says.
 */
export async function startSession(options: { userId: string; meta: RequestMeta }): Promise<string> {
  const session = await db.session.create({
    data: { userId: options.userId, ip: options.meta.ip, userAgent: options.meta.userAgent },
    select: { id: true },
  });
  return session.id;
}
