import "server-only";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import { burnPasswordCheck } from "@/server/auth/password";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

export type SignedIn = { id: string; sessionVersion: number; fullName: string };

export async function signIn(options: { phone: string; password: string; meta: RequestMeta }): Promise<SignedIn> {
  const user = await db.user.findUnique({
    where: { phone: options.phone },
    select: { id: true, fullName: true, passwordHash: true, lockedUntil: true, sessionVersion: true },
  });
  if (!user) {
    await burnPasswordCheck(options.password);
    throw new AppError("WRONG_PASSWORD", "Wrong mobile number or password.");
  }
  try {
    await checkPassword({ user, password: options.password, meta: options.meta });
  } catch (error) {
    await recordAudit({ userId: user.id, action: "auth.sign_in_failed", meta: options.meta });
    throw error;
  }
  await recordAudit({ userId: user.id, action: "auth.signed_in", meta: options.meta });
  return { id: user.id, sessionVersion: user.sessionVersion, fullName: user.fullName };
}
