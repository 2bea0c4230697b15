import "server-only";
import type { RequestMeta } from "@/server/audit";
import { signIn } from "@/server/auth/sign-in";
import { startSession } from "@/server/auth/start-session";
import { takeClientBudget } from "@/server/budgets/take-client-budget";
import { isAppError } from "@/server/errors";
import { budgetKey } from "@/server/http/client-ip";

/** Who a new session belongs to: what the session token carries (session-cookie.ts). */
export type SessionUser = { id: string; name: string; sessionVersion: number; sessionId: string };

/** Outcomes of a sign-in that spend the client's failed-sign-in budget; anything else (a 503, say) gives it back. */
const COUNTS_AS_FAILED_SIGN_IN = new Set(["WRONG_PASSWORD", "LOCKED", "UNAUTHENTICATED"]);

/**
 * A credentials sign-in, whichever door it comes through: next-auth's
 * `authorize` (the JSON API and older clients) and the sign-in form's server
 * action, which works without JavaScript and so cannot use next-auth's client.
 * Both get the same budget, password check, lockout, audit and session row.
 */
export async function signInWithPassword(options: { phone: string; password: string; meta: RequestMeta }): Promise<SessionUser> {
  const { meta } = options;
  // Password guessing from one client is bounded before any hashing: each
  // attempt reserves a unit of the failed-sign-in budget atomically (so a
  // burst cannot all slip past one check), and one that did not fail hands it back.
  const reservation = await takeClientBudget({ budget: "failedSignIn", client: budgetKey(meta.ip) });
  let user;
  try {
    user = await signIn(options);
  } catch (error) {
    if (!isAppError(error) || !COUNTS_AS_FAILED_SIGN_IN.has(error.code)) await reservation.refund();
    throw error;
  }
  await reservation.refund();
  const sessionId = await startSession({ userId: user.id, meta });
  return { id: user.id, name: user.fullName, sessionVersion: user.sessionVersion, sessionId };
}
