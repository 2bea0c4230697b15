import "server-only";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { hashPassword } from "@/server/auth/password";
import type { SignUpInput } from "@/lib/schemas";
import { db } from "@/server/db";
import { createRequest } from "@/server/email-requests/create-request";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";

export async function signUp(options: SignUpInput & { meta: RequestMeta }) {
  const { phone, fullName, password, email, meta } = options;
  const passwordHash = await hashPassword(password);
  let user;
  try {
    user = await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { phone, fullName, passwordHash, email },
        select: { id: true, phone: true, fullName: true, email: true, emailVerifiedAt: true },
      });
      await recordAudit({ userId: user.id, action: "account.created", meta }, tx);
      return user;
    });
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  // An email given at signup is stored unverified and gets its link at once.
  if (email) await createRequest({ userId: user.id, kind: "add", email, meta });
  return user;
}

/** The unique indexes are the real guard against a race between two signups. */
function uniqueViolation(error: unknown): AppError | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return null;
  const target = JSON.stringify(error.meta ?? {});
  if (target.includes("email")) {
    return new AppError("EMAIL_TAKEN", "This email address is linked to another account.", {
      fields: { email: "This email address is linked to another account." },
    });
  }
  return new AppError("PHONE_TAKEN", "An account with this mobile number already exists. Sign in instead.", {
    fields: { phone: "An account with this mobile number already exists." },
  });
}
