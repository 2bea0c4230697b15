import "server-only";
import type { EmailRequestKind } from "@/lib/api";
import { maskEmail } from "@/lib/email-address";
import { emailRequestClosed, emailRequested } from "@/lib/events";
import { rules } from "@/lib/rules";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db, type Tx } from "@/server/db";
import { closeRequest } from "@/server/email-requests/close-request";
import { emailTaken, rateLimited } from "@/server/email-requests/errors";
import { firstHop, policyOf } from "@/server/email-requests/policy";
import { assertUserCanReceiveEmail } from "@/server/email-requests/send-limits";
import { AppError } from "@/server/errors";
import type { EmailRequest } from "@/server/generated/prisma/client";
import { metrics } from "@/server/metrics";
import { enqueue } from "@/server/outbox/enqueue";
import { relayAfterCommit } from "@/server/outbox/relay";

const HOUR = 60 * 60 * 1000;

export type NewRequest = {
  userId: string;
  email: string;
  meta: RequestMeta;
  /**
   * "answer-taken": the signed-in user's add/change (UC03): an address
   * verified by another account is refused with EMAIL_TAKEN, within the
   * per-account budget of such answers. "at-confirmation": signup and the
   * expired-link restart never say whether an address is taken (no
   * enumeration); the confirm transaction decides (ADR 0012).
   */
  addressCheck: "answer-taken" | "at-confirmation";
  /** The expired request a "send me a new link" restarts; checked under the user's lock. */
  restartOf?: EmailRequest;
};

/**
 * `outbox`: the ids of the event rows the transaction wrote, for
 * `relayAfterCommit`; `supersededKinds`: the kinds of the requests it
 * superseded, for `countInserted` once it has committed.
 */
export type Inserted = { request: EmailRequest; superseded: string[]; supersededKinds: EmailRequestKind[]; outbox: string[] };

/** The metrics of a committed insertRequest: never recorded inside a transaction that may still roll back. */
export function countInserted(inserted: Inserted): void {
  for (const kind of inserted.supersededKinds) metrics.emailRequests.inc({ kind, event: "superseded" });
  metrics.emailRequests.inc({ kind: inserted.request.kind, event: "started" });
}

/** Records a new request (superseding any pending one of the user) with the events that start its workflow. */
export async function createRequest(options: NewRequest): Promise<EmailRequest> {
  const inserted = await db.$transaction((tx) => insertRequest(tx, options));
  // The taken answer is recorded (it counts toward the budget) before it is given.
  if (inserted === "taken") throw emailTaken();
  countInserted(inserted);
  relayAfterCommit(inserted.outbox);
  return inserted.request;
}

/**
 * The request's rows, inside the caller's transaction (signup creates the
 * user and its request in one). Nothing is written to users.email: a pending
 * address lives on the request and holds nothing until it is confirmed.
 */
export async function insertRequest(tx: Tx, options: NewRequest): Promise<Inserted | "taken"> {
  const { userId, email, meta } = options;
  // Serialises concurrent requests of one user (two tabs submitting at once),
  // and add vs change is decided from this locked row, never from the
  // session's copy of the user, which may be stale.
  const [locked] = await tx.$queryRaw<{ email: string | null }[]>`SELECT email FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  if (!locked) throw new Error(`no user ${userId}`);
  // users.email holds verified addresses only (ADR 0012).
  const kind: EmailRequestKind = locked.email === null ? "add" : "change";
  if (locked.email === email) {
    throw new AppError("SAME_EMAIL", "This is already your email address.", { fields: { email: "This is already your email address." } });
  }
  if (options.restartOf) await assertRestartable(tx, options.restartOf, kind);

  if (options.addressCheck === "answer-taken") {
    // Security rule (issue 10, item 4): the budget is checked before the
    // address is looked up, so once it is spent every address gets the same
    // answer and probing reveals nothing more.
    await assertTakenAnswersLeft(tx, userId);
    const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (holder) {
      await recordAudit({ userId, action: "email.taken", details: { email: maskEmail(email) }, meta }, tx);
      return "taken";
    }
  }
  await assertUserCanReceiveEmail(userId, tx);

  const pending = await tx.emailRequest.findMany({ where: { userId, status: "pending" }, select: { id: true } });
  const supersededKinds: EmailRequestKind[] = [];
  for (const { id } of pending) {
    const closed = await closeRequest(tx, id, "superseded");
    if (closed) supersededKinds.push(closed);
  }

  const policy = policyOf(kind);
  const request = await tx.emailRequest.create({
    data: {
      userId,
      kind,
      newEmail: email,
      oldEmail: locked.email,
      currentHop: firstHop(kind),
      expiresAt: new Date(Date.now() + policy.requestLifetimeMs),
    },
  });
  await recordAudit({ userId, action: "email.requested", details: { requestId: request.id, kind, newEmail: maskEmail(email) }, meta }, tx);
  const superseded = pending.map((p) => p.id);
  // In this transaction (ADR 0016): tell the superseded requests' workflows,
  // and start the new one.
  const outbox = await enqueue(tx, [
    ...superseded.map((id) => emailRequestClosed.create({ requestId: id, reason: "superseded" })),
    // The request id as the event id: publishing twice can never start two workflows.
    emailRequested.create({ requestId: request.id, userId, kind }, { id: `email-request-${request.id}` }),
  ]);
  return { request, superseded, supersededKinds, outbox };
}

async function assertTakenAnswersLeft(tx: Tx, userId: string) {
  const now = Date.now();
  const recent = await tx.auditEvent.findMany({
    where: { userId, action: "email.taken", createdAt: { gt: new Date(now - HOUR) } },
    orderBy: { createdAt: "desc" },
    take: rules.maxEmailTakenAnswersPerHour,
    select: { createdAt: true },
  });
  if (recent.length >= rules.maxEmailTakenAnswersPerHour) {
    throw rateLimited(recent.at(-1)!.createdAt.getTime() + HOUR - now, "You have tried too many email addresses. Try again later.");
  }
}

/**
 * Issue 10, item 9: "send me a new link" never revives an ended add. Only an
 * expired request (or one past its expiry the workflow has not closed yet)
 * whose policy allows it, that is still the user's latest request, and whose
 * kind the account would still get.
 */
async function assertRestartable(tx: Tx, ended: EmailRequest, kind: EmailRequestKind) {
  const latest = await tx.emailRequest.findFirst({
    where: { userId: ended.userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, expiresAt: true },
  });
  const expired = latest?.status === "expired" || (latest?.status === "pending" && latest.expiresAt <= new Date());
  if (latest?.id !== ended.id || !expired || kind !== ended.kind || !policyOf(kind).restartFromExpiredLink) {
    throw new AppError("REQUEST_EXPIRED", "This request has ended. Start again from your profile.");
  }
}
