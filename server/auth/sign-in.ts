import "server-only";
import { maskPhone } from "@/lib/phone";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import { burnPasswordCheck } from "@/server/auth/password";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

export type SignedIn = { id: string; sessionVersion: number; fullName: string };

export async function signIn(options: { phone: string; password: string; meta: RequestMeta }): Promise<SignedIn> {
  const user = await db.user.findUnique({
    where: { phone: options.phone },
    select: { id: true, fullName: true, sessionVersion: true },
  });
  if (!user) {
    await burnPasswordCheck(options.password);
    // Guessing across many phones shows up in the log too; the number is
    // masked because an unknown phone may be someone's mistyped own number.
    await recordAudit({
      userId: null,
      action: "auth.sign_in_failed",
      details: { phone: maskPhone(options.phone), reason: "unknown_phone" },
      meta: options.meta,
    });
    throw new AppError("WRONG_PASSWORD", "Wrong mobile number or password.");
  }
  // Counts, locks and audits the failure (check-password.ts).
  await checkPassword({ user, password: options.password, meta: options.meta, purpose: "sign-in" });
  await recordAudit({ userId: user.id, action: "auth.signed_in", meta: options.meta });
  return { id: user.id, sessionVersion: user.sessionVersion, fullName: user.fullName };
}
