import "server-only";
import type { EmailRequestKind } from "@/lib/api";
import { maskEmail } from "@/lib/email-address";
import { emailRequestClosed, emailRequested } from "@/lib/events";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db, type Tx } from "@/server/db";
import { closeRequest } from "@/server/email-requests/close-request";
import { emailTaken } from "@/server/email-requests/errors";
import { firstHop, policyOf } from "@/server/email-requests/policy";
import { assertUserCanReceiveEmail } from "@/server/email-requests/send-limits";
import { Prisma } from "@/server/generated/prisma/client";
import { publish } from "@/server/publish";

type NewRequest = { userId: string; kind: EmailRequestKind; email: string; meta: RequestMeta };

/**
 * Records a new request (superseding any pending one of the user) and starts
 * its workflow. When the policy holds the address (an add), it becomes the
 * account's unverified email at once; the unique index is the final word on
 * who holds it.
 */
export async function createRequest(options: NewRequest) {
  const { request, superseded } = await insertRequest(options).catch((error: unknown) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw emailTaken();
    throw error;
  });
  await publish([
    ...superseded.map((id) => emailRequestClosed.create({ requestId: id, reason: "superseded" })),
    // The request id as the event id: publishing twice can never start two workflows.
    emailRequested.create({ requestId: request.id, userId: options.userId, kind: options.kind }, { id: `email-request-${request.id}` }),
  ]);
  return request;
}

function insertRequest({ userId, kind, email, meta }: NewRequest) {
  const policy = policyOf(kind);
  return db.$transaction(async (tx) => {
    // Serialises concurrent requests of one user (two tabs submitting at once).
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    await assertAddressFree(tx, email, userId);
    await assertUserCanReceiveEmail(userId, tx);

    const pending = await tx.emailRequest.findMany({ where: { userId, status: "pending" }, select: { id: true } });
    for (const { id } of pending) await closeRequest(tx, id, "superseded");

    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    if (policy.holdsAddress) await tx.user.update({ where: { id: userId }, data: { email, emailVerifiedAt: null } });
    const hop = firstHop(kind);
    const request = await tx.emailRequest.create({
      data: {
        userId,
        kind,
        newEmail: email,
        oldEmail: policy.hops.some((entry) => entry.hop === "old") ? user.email : null,
        currentHop: hop,
        expiresAt: new Date(Date.now() + policy.requestLifetimeMs),
      },
    });
    await recordAudit(
      { userId, action: "email.requested", details: { requestId: request.id, kind, newEmail: maskEmail(email) }, meta },
      tx,
    );
    return { request, superseded: pending.map((p) => p.id) };
  });
}

async function assertAddressFree(tx: Tx, email: string, userId: string) {
  const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (holder && holder.id !== userId) throw emailTaken();
}
