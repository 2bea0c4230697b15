import "server-only";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { hashPassword } from "@/server/auth/password";
import type { SignUpInput } from "@/lib/schemas";
import { db } from "@/server/db";
import { countInserted, insertRequest, type Inserted } from "@/server/email-requests/create-request";
import { assertDeliverable } from "@/server/email-requests/deliverable";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { relayAfterCommit } from "@/server/outbox/relay";

/**
 * Creates the account and, when an address is given, its add request, in
 * one transaction: a failure anywhere leaves nothing behind. The address goes
 * on the request only (ADR 0012), so the answer is the same whether or not
 * another account has it (issue 10, item 4): the confirmation decides.
 * The returned `email` is the address awaiting verification (unverified).
 */
export async function signUp(options: SignUpInput & { meta: RequestMeta }) {
  const { phone, fullName, password, email, meta } = options;
  if (email) assertDeliverable(email, "INVALID_INPUT");
  const passwordHash = await hashPassword(password);
  let created: { user: { id: string; phone: string; fullName: string }; inserted: Inserted | null };
  try {
    created = await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { phone, fullName, passwordHash }, select: { id: true, phone: true, fullName: true } });
      await recordAudit({ userId: user.id, action: "account.created", meta }, tx);
      if (!email) return { user, inserted: null };
      const inserted = await insertRequest(tx, { userId: user.id, email, meta, addressCheck: "at-confirmation" });
      if (inserted === "taken") throw new Error("signup never answers EMAIL_TAKEN");
      return { user, inserted };
    });
  } catch (error) {
    throw phoneTaken(error) ?? error;
  }
  // An email given at signup gets its link at once (from the workflow).
  if (created.inserted) {
    countInserted(created.inserted);
    relayAfterCommit(created.inserted.outbox);
  }
  return { ...created.user, email: email ?? null, emailVerifiedAt: null };
}

/** The unique index is the real guard against a race between two signups. */
function phoneTaken(error: unknown): AppError | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return null;
  return new AppError("PHONE_TAKEN", "An account with this mobile number already exists. Sign in instead.", {
    fields: { phone: "An account with this mobile number already exists." },
  });
}
