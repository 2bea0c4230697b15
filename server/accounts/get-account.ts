import "server-only";
import type { AccountView } from "@/lib/api";
import { presentUser } from "@/server/accounts/present";
import type { CurrentUser } from "@/server/auth/current-user";
import { getPendingRequest } from "@/server/email-requests/get-pending-request";
import { presentEmailRequest } from "@/server/email-requests/present";

/** The account as the profile page and GET /api/account show it: the user and any pending email request. */
export async function getAccount(user: CurrentUser): Promise<AccountView> {
  const request = await getPendingRequest(user.id);
  return { user: presentUser(user, request), emailRequest: request && presentEmailRequest(request) };
}
