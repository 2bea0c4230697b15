import "server-only";
import type { RequestMeta } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import type { CurrentUser } from "@/server/auth/current-user";
import { createRequest } from "@/server/email-requests/create-request";
import { presentEmailRequest } from "@/server/email-requests/present";
import { AppError } from "@/server/errors";

/**
 * UC02–UC04: starts verifying an address. Without a verified email this is
 * an "add" (the address becomes the account's unverified email at once);
 * with one it is a "change" (nothing changes on the account until both
 * hops are confirmed). A newer request supersedes any pending one.
 */
export async function startEmailRequest(options: { user: CurrentUser; email: string; password: string; meta: RequestMeta }) {
  const { user, email, password, meta } = options;
  const hasVerifiedEmail = user.email !== null && user.emailVerifiedAt !== null;

  if (hasVerifiedEmail && email === user.email) {
    throw new AppError("SAME_EMAIL", "This is already your email address.", { fields: { email: "This is already your email address." } });
  }
  // Re-authentication comes before anything that could reveal whether an
  // address belongs to another account.
  await checkPassword({ user, password, meta });

  const kind = hasVerifiedEmail ? "change" : "add";
  const request = await createRequest({ userId: user.id, kind, email, meta });
  return presentEmailRequest(request);
}
