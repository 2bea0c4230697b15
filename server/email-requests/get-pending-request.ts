import "server-only";
import { db } from "@/server/db";

/** The user's pending request, if any (requestEmail keeps it to one). */
export function getPendingRequest(userId: string) {
  return db.emailRequest.findFirst({ where: { userId, status: "pending" }, orderBy: { createdAt: "desc" } });
}
