import "server-only";
import type { EmailRequestKind, EmailRequestStatus, Hop } from "@/lib/api";
import { db } from "@/server/db";
import { closeRequest } from "@/server/email-requests/close-request";
import { metrics } from "@/server/metrics";

export type WorkflowView =
  | {
      /** The request no longer exists: its account was deleted (the cascade took it). Nothing is left to do. */
      status: "deleted";
    }
  | RequestView;

type RequestView = {
  status: EmailRequestStatus;
  kind: EmailRequestKind;
  currentHop: Hop | null;
  /** The current hop's link has not been sent yet (a new request, or right after the old hop). */
  needsLink: boolean;
  /** Until when to wait for the next confirmation: the link's expiry, then the request's. */
  waitUntil: string | null;
};

/**
 * What the workflow sees each time it wakes, read from the database (the
 * source of truth) rather than from the event that woke it. A pending
 * request past its expiry is expired here.
 */
export async function reconcileEmailRequest(options: { requestId: string }): Promise<WorkflowView> {
  const now = new Date();
  let request = await db.emailRequest.findUnique({ where: { id: options.requestId } });
  if (!request) return { status: "deleted" };
  if (request.status === "pending" && request.expiresAt <= now) {
    const expired = request.id;
    const kind = await db.$transaction((tx) => closeRequest(tx, expired, "expired"));
    if (kind) metrics.emailRequests.inc({ kind, event: "expired" });
    request = await db.emailRequest.findUnique({ where: { id: options.requestId } });
    if (!request) return { status: "deleted" };
  }
  const pending = request.status === "pending";
  const hopAlive = request.hopExpiresAt !== null && request.hopExpiresAt > now;
  return {
    status: request.status,
    kind: request.kind,
    currentHop: request.currentHop,
    needsLink: pending && request.hopExpiresAt === null,
    waitUntil: pending ? (hopAlive ? request.hopExpiresAt! : request.expiresAt).toISOString() : null,
  };
}
