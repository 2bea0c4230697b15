import "server-only";
import { emailRequested, emailRequestClosed } from "@/inngest/events";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db, type Tx } from "@/server/db";
import { maskEmail } from "@/server/email/address";
import { closeRequest } from "@/server/email/close-request";
import { emailTaken } from "@/server/email/errors";
import { assertUserCanReceiveEmail } from "@/server/email/send-limits";
import { publish } from "@/server/events";
import { Prisma } from "@/server/generated/prisma/client";
import { rules } from "@/server/rules";

/**
 * Records a new request (superseding any pending one of the user) and starts
 * its workflow. For an add, the address becomes the account's unverified
 * email at once; the unique index is the final word on who holds it.
 */
export async function createRequest(options: { userId: string; kind: "add" | "change"; email: string; meta: RequestMeta }) {
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

function insertRequest(options: { userId: string; kind: "add" | "change"; email: string; meta: RequestMeta }) {
  const { userId, kind, email, meta } = options;
  return db.$transaction(async (tx) => {
    // Serialises concurrent requests of one user (two tabs submitting at once).
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    await assertAddressFree(tx, email, userId);
    await assertUserCanReceiveEmail(userId, tx);

    const pending = await tx.emailRequest.findMany({ where: { userId, status: "pending" }, select: { id: true } });
    for (const { id } of pending) await closeRequest(tx, id, "superseded");

    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    if (kind === "add") {
      await tx.user.update({ where: { id: userId }, data: { email, emailVerifiedAt: null } });
    }
    const request = await tx.emailRequest.create({
      data: {
        userId,
        kind,
        newEmail: email,
        oldEmail: kind === "change" ? user.email : null,
        currentHop: kind === "change" ? "old" : "new",
        expiresAt: new Date(Date.now() + (kind === "change" ? rules.changeRequestLifetimeMs : rules.addLinkLifetimeMs)),
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
