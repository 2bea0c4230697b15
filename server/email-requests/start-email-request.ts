import "server-only";
import type { RequestMeta } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import type { CurrentUser } from "@/server/auth/current-user";
import { createRequest } from "@/server/email-requests/create-request";
import { assertDeliverable } from "@/server/email-requests/deliverable";
import { presentEmailRequest } from "@/server/email-requests/present";
import { AppError } from "@/server/errors";

/**
 * UC02–UC04: starts verifying an address. Without a verified email this is
 * an "add"; with one it is a "change" (decided from the locked user row in
 * createRequest). Either way nothing changes on the account until the last
 * link is confirmed. A newer request supersedes any pending one.
 */
export async function startEmailRequest(options: { user: CurrentUser; email: string; password: string; meta: RequestMeta }) {
  const { user, email, password, meta } = options;

  if (user.email !== null && email === user.email) {
    throw new AppError("SAME_EMAIL", "This is already your email address.", { fields: { email: "This is already your email address." } });
  }
  assertDeliverable(email, "INVALID_EMAIL");
  // Re-authentication comes before anything that could reveal whether an
  // address belongs to another account.
  await checkPassword({ user, password, meta });

  const request = await createRequest({ userId: user.id, email, meta, addressCheck: "answer-taken" });
  return presentEmailRequest(request);
}
