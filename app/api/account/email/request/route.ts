import { NextResponse } from "next/server";
import { requireUser } from "@/server/auth/current-user";
import { cancelEmailRequest } from "@/server/email/cancel-email-request";
import { assertSameOrigin, handle } from "@/server/http";

export const DELETE = handle(async (request) => {
  assertSameOrigin(request);
  const user = await requireUser();
  await cancelEmailRequest({ userId: user.id });
  return NextResponse.json({ cancelled: true });
});
