import { NextResponse } from "next/server";
import { presentUser } from "@/server/accounts/present";
import { requireUser } from "@/server/auth/current-user";
import { getPendingRequest } from "@/server/email/get-pending-request";
import { presentEmailRequest } from "@/server/email/present";
import { handle } from "@/server/http";

export const GET = handle(async () => {
  const user = await requireUser();
  const request = await getPendingRequest(user.id);
  return NextResponse.json(
    { user: presentUser(user), emailRequest: request && presentEmailRequest(request) },
    { headers: { "Cache-Control": "no-store" } },
  );
});
