import "server-only";
import { formatNepalTime } from "@/lib/nepal-time";
import { paymentRules } from "@/lib/rules";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

/**
 * For 24 hours after the account's email address changed, new scheduled
 * payments and amount increases are refused (someone who took over the email
 * cannot drain the wallet at once). The change's moment is when its request
 * completed.
 */
export async function assertNotCoolingOff(userId: string, at: Date): Promise<void> {
  const change = await db.emailRequest.findFirst({
    where: { userId, kind: "change", status: "completed", closedAt: { gt: new Date(at.getTime() - paymentRules.coolingOffMs) } },
    orderBy: { closedAt: "desc" },
    select: { closedAt: true },
  });
  if (!change?.closedAt) return;
  const until = new Date(change.closedAt.getTime() + paymentRules.coolingOffMs);
  throw new AppError(
    "COOLING_OFF",
    `Your email address changed recently. For your security, new scheduled payments and larger amounts are possible again from ${formatNepalTime(until)}.`,
    { extra: { until: until.toISOString() }, retryAfter: (until.getTime() - at.getTime()) / 1000 },
  );
}
